#pragma once
// What project.cpp, project_masks.cpp and project_recovery.cpp share: file names, fresh folder names and
// reading a JSON object from a file with messages that name it.

#include <QJsonObject>
#include <QString>

namespace kinora::core::detail {

inline constexpr const char* kLockFileName = "session.lock";
inline constexpr const char* kRecoveryFileName = "recovery.json";
inline constexpr const char* kUntitledMediaName = "media";

// "yyyyMMdd-hhmmss-<pid>-<n>": unique among this process's folders, sortable by time.
QString freshStamp();

// The untitled project folder (untitledRoot()/<stamp>) that holds `mediaDir`, or empty when
// `mediaDir` is not an untitled project's media folder.
QString untitledFolderOf(const QString& mediaDir);

// The JSON object in `path`. Throws ProjectError naming `path` (as `kind`, e.g. "project file")
// when it is missing, unreadable, not JSON or not an object. Never writes.
QJsonObject readJsonObject(const QString& path, const QString& kind);

// Writes `json` to `path` through QSaveFile; throws ProjectError naming the file on failure.
void writeJsonObject(const QString& path, const QJsonObject& json);

bool samePath(const QString& a, const QString& b);

// Ids name folders in the media folder (takes' frames, masks): a file must not be able to point
// outside it.
bool isSafeId(const QString& id);

// Copies the folder `from` into `to` (made when missing), sub-folders included.
bool copyTree(const QString& from, const QString& to);

} // namespace kinora::core::detail
