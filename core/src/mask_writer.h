#pragma once
// Writes mask keyframe PNGs for Project in batches, in order, on one worker thread, so that a
// batch of hundreds of files (an import and its undo and redo) never holds up the GUI thread: on
// an ordinary disk each QSaveFile commit syncs the file and takes milliseconds. Each batch is all
// or none: a file that cannot be written puts back the ones written before it.

#include <QByteArray>
#include <QString>
#include <QThreadPool>

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace kinora::core::detail {

struct MaskFileWrite {
    int64_t frame = 0;
    QString path;
    QByteArray png; // empty: remove the file
};

// Writes (or removes) the files in order, each through QSaveFile. When one cannot be written,
// puts back the files before it as they were and returns what went wrong (a sentence naming the
// frame and the file); empty on success. Any thread.
QString writeMaskFiles(const std::vector<MaskFileWrite>& writes);

class MaskWriter {
public:
    struct Finished {
        uint64_t batch = 0;
        QString error; // empty: written
    };
    // `notify` runs on the worker thread after each batch (Project posts itself a call).
    explicit MaskWriter(std::function<void()> notify);
    ~MaskWriter(); // waits for the batches queued
    MaskWriter(const MaskWriter&) = delete;
    MaskWriter& operator=(const MaskWriter&) = delete;

    // Queues a batch; returns its number (from 1, increasing).
    uint64_t enqueue(std::vector<MaskFileWrite> writes);
    // Blocks until every batch queued is written.
    void wait();
    // The batches finished since the last call, in order.
    std::vector<Finished> takeFinished();

private:
    std::function<void()> m_notify;
    QThreadPool m_pool; // one thread: batches run in the order queued
    std::mutex m_mutex;
    std::vector<Finished> m_finished;
    uint64_t m_next = 1;
};

} // namespace kinora::core::detail
