#include "kinora/ui/about_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace kinora::ui {

AboutDialog::AboutDialog(const core::EngineInfo& info, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Kinora"));

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/kinora.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    auto* text = new QLabel(this);
    text->setObjectName(QStringLiteral("aboutText"));
    text->setTextFormat(Qt::RichText);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setText(tr("<h2>Kinora %1</h2>"
                     "<p>Make video with diffusion models: generate clips from text, inpaint footage, "
                     "raise its frame rate.</p>"
                     "<table>"
                     "<tr><td>Device</td><td>&nbsp;%2 (%3)</td></tr>"
                     "<tr><td>LibTorch</td><td>&nbsp;%4</td></tr>"
                     "<tr><td>FFmpeg</td><td>&nbsp;%5</td></tr>"
                     "<tr><td>OpenCV</td><td>&nbsp;%6</td></tr>"
                     "</table>")
                      .arg(info.kinoraVersion, info.device, info.deviceDetail, info.libtorchVersion,
                          info.ffmpegVersion, info.opencvVersion));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* row = new QHBoxLayout;
    row->addWidget(icon);
    row->addWidget(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

} // namespace kinora::ui
