#pragma once
// The main window: menus and the docks of the workspace. It wires panels together and owns no
// feature logic; each panel lives in its own class as it is built.

#include <QMainWindow>

#include <functional>

class QDockWidget;
class QUndoStack;

namespace kinora::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    QUndoStack* undoStack() const { return m_undoStack; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    QDockWidget* addPanel(
        const QString& objectName, const QString& title, const QString& purpose, Qt::DockWidgetArea area);
    void createMenus();
    void showAbout();

    QUndoStack* m_undoStack = nullptr;
    QList<QDockWidget*> m_docks;
    std::function<void()> m_defaultSizes;
};

} // namespace kinora::ui
