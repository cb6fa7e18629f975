#pragma once
// Shared set-up for the GUI tests: an untrained tiny model pack written once per test binary by
// kinora-engine (the real engine, no fakes), a private data folder for untitled projects and
// recovery files, and waiting on the event loop.

#include <QString>

#include <functional>

namespace kinora::test {

// The folder of a tiny `kinora-native` pack (16x16, 8 frames, untrained), made on first use.
// Tests that need to generate also set $KINORA_MODEL to it (setTinyPackAsModel).
QString tinyPackDir();
void setTinyPackAsModel();

// Points $KINORA_DATA_DIR (untitled projects, recovery files) and QSettings at a fresh temporary
// folder for this test binary, so tests never touch the user's own.
void useTemporaryDataDir();

// Runs the event loop until `done()` holds or `timeoutMs` passes; returns done().
bool waitFor(const std::function<bool()>& done, int timeoutMs = 60000);

} // namespace kinora::test
