#pragma once
// Outputs are made in folders that may not exist yet; a write that fails or is cancelled removes
// the folders it made. Private to core.

#include <QDir>
#include <QFileInfo>
#include <QString>

namespace kinora::core {

// The outermost folder that `QDir().mkpath(dir)` is about to create (empty when `dir` exists):
// what to remove if the write does not complete.
inline QString firstMissingFolder(const QString& dir)
{
    QString missing;
    for (QFileInfo at(dir); !at.exists(); at = QFileInfo(at.absolutePath())) {
        missing = at.absoluteFilePath();
        if (at.isRoot())
            break;
    }
    return missing;
}

} // namespace kinora::core
