#pragma once
// A main window for flow tests: shown (dialog-free, so closing never waits on a question), and
// closed with its queue cancelled at the end. Subclasses set up what the window should find
// (a data folder, a model pack) before openWindow().

#include "gui_test_support.h"

#include "kinora/core/job_queue.h"
#include "kinora/ui/main_window.h"

#include <QTest>

#include <gtest/gtest.h>

#include <memory>

namespace kinora::test {

class WindowFixture : public ::testing::Test {
protected:
    void openWindow()
    {
        m_window = std::make_unique<ui::MainWindow>();
        m_window->setInteractive(false);
        m_window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void TearDown() override
    {
        if (m_window) {
            m_window->jobQueue()->cancelAll();
            m_window->close();
            m_window.reset();
        }
    }
    // Waits until the queue has nothing running or waiting.
    bool waitIdle(int timeoutMs = 180000)
    {
        auto* queue = m_window->jobQueue();
        return waitFor([queue] { return !queue->isBusy() && queue->queuedTickets().empty(); }, timeoutMs);
    }

    std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace kinora::test
