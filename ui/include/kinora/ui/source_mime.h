#pragma once
// What a drag from the bin carries to the timeline (and anything else that takes a source): the
// kind and id of a take or an imported media item, under Kinora's own MIME type so that nothing
// else mistakes it for files.

#include <QByteArray>
#include <QMimeData>
#include <QString>

#include <optional>

namespace kinora::ui {

inline constexpr char kSourceMimeType[] = "application/x-kinora-source";

struct SourceRef {
    bool isTake = false;
    QString id;
};

inline QMimeData* sourceMimeData(const SourceRef& ref)
{
    auto* mime = new QMimeData;
    mime->setData(
        QLatin1String(kSourceMimeType), (QLatin1String(ref.isTake ? "take:" : "media:") + ref.id).toUtf8());
    return mime;
}

inline std::optional<SourceRef> sourceFromMimeData(const QMimeData* mime)
{
    if (!mime || !mime->hasFormat(QLatin1String(kSourceMimeType)))
        return std::nullopt;
    const QString text = QString::fromUtf8(mime->data(QLatin1String(kSourceMimeType)));
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0 || colon + 1 >= text.size())
        return std::nullopt;
    const QString kind = text.left(colon);
    if (kind != QLatin1String("take") && kind != QLatin1String("media"))
        return std::nullopt;
    return SourceRef { kind == QLatin1String("take"), text.mid(colon + 1) };
}

} // namespace kinora::ui
