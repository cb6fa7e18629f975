#pragma once
// The flat tool button every panel's bar is made of: an icon from :/icons (a name, or a resource
// path), a tooltip, and an object name for tests. Buttons beside a view that takes keys
// (timeline, viewer) pass Qt::NoFocus so a click never takes the keys away from it.

#include <QIcon>
#include <QString>
#include <QToolButton>

namespace kinora::ui {

inline QToolButton* makeToolButton(const QString& name, const QString& icon, const QString& tip,
    QWidget* parent, Qt::FocusPolicy focus = Qt::TabFocus)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(name);
    button->setIcon(
        QIcon(icon.startsWith(QLatin1String(":/")) ? icon : QStringLiteral(":/icons/%1.svg").arg(icon)));
    button->setToolTip(tip);
    button->setAutoRaise(true);
    button->setFocusPolicy(focus);
    return button;
}

} // namespace kinora::ui
