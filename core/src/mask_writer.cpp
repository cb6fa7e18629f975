#include "mask_writer.h"

#include "kinora/core/project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <optional>
#include <utility>

namespace kinora::core::detail {

namespace {

std::optional<QByteArray> readBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

// Through QSaveFile: on failure the old file is as it was. Returns the error, empty on success.
QString writeBytes(const QString& path, const QByteArray& bytes)
{
    QSaveFile out(path);
    if (out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit())
        return {};
    return out.errorString();
}

} // namespace

QString writeMaskFiles(const std::vector<MaskFileWrite>& writes)
{
    // Each file done and what it held (nullopt: nothing), to put back when a later one fails.
    std::vector<std::pair<QString, std::optional<QByteArray>>> done;
    QString madeFolder;
    for (size_t i = 0; i < writes.size(); ++i) {
        const MaskFileWrite& write = writes[i];
        // The last file needs no copy: nothing after it can fail.
        std::optional<QByteArray> old = i + 1 < writes.size() ? readBytes(write.path) : std::nullopt;
        if (write.png.isEmpty()) {
            QFile::remove(write.path);
        } else {
            const QString folder = QFileInfo(write.path).absolutePath();
            if (folder != madeFolder && QDir().mkpath(folder))
                madeFolder = folder;
            const QString error = writeBytes(write.path, write.png);
            if (!error.isEmpty()) {
                for (auto it = done.rbegin(); it != done.rend(); ++it) {
                    if (it->second)
                        writeBytes(it->first, *it->second);
                    else
                        QFile::remove(it->first);
                }
                return Project::tr("The mask of frame %1 could not be written to %2 (%3).")
                    .arg(write.frame)
                    .arg(QDir::toNativeSeparators(write.path), error);
            }
        }
        done.emplace_back(write.path, std::move(old));
    }
    return {};
}

MaskWriter::MaskWriter(std::function<void()> notify)
    : m_notify(std::move(notify))
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(2000);
}

MaskWriter::~MaskWriter()
{
    m_pool.waitForDone();
}

uint64_t MaskWriter::enqueue(std::vector<MaskFileWrite> writes)
{
    const uint64_t batch = m_next++;
    m_pool.start([this, batch, writes = std::move(writes)] {
        const QString error = writeMaskFiles(writes);
        {
            const std::lock_guard lock(m_mutex);
            m_finished.push_back({ batch, error });
        }
        if (m_notify)
            m_notify();
    });
    return batch;
}

void MaskWriter::wait()
{
    m_pool.waitForDone();
}

std::vector<MaskWriter::Finished> MaskWriter::takeFinished()
{
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_finished, {});
}

} // namespace kinora::core::detail
