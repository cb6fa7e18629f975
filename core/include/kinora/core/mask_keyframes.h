#pragma once
// The masks of a clip, one per frame, with keyframes. A painted frame is a keyframe; the frames
// between two keyframes get a mask interpolated from them; frames before the first keyframe hold
// the first, frames after the last hold the last (as a roto shape with one key stays put).
//
// The in-between rule (interpolateMasks): each keyframe is read as the jobs read a mask (luma >= 128
// is masked) and turned into a signed distance field d = (distance to the nearest unmasked pixel)
// - (distance to the nearest masked pixel), Euclidean, in pixels (>= 1 inside, <= -1 outside).
// The fields are blended linearly in time, D = (1 - t) dA + t dB, and the in-between mask is D > 0,
// written 0 or 255. So a shape morphs into the next one instead of cross-fading: concentric discs of
// radius r0 and r1 give a disc of radius (1 - t) r0 + t r1; two equal keys give that same mask on
// every frame between them. A key with nothing masked stands for the other key's shape shrunk away
// (its field is the other's minus the other's largest depth plus one: the in-betweens erode towards
// it), and a key with every pixel masked for the other's shape grown to the whole frame. A key of
// another size is resized (nearest) to the earlier key's size. Keyframes themselves are returned
// exactly as painted, soft edges included.
#include <QImage>

#include <QSize>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>

namespace kinora::core {

// The mask `t` of the way (0..1) from keyframe `a` to keyframe `b`, by the rule above (Grayscale8,
// 0 or 255). t <= 0 returns `a` and t >= 1 returns `b` unchanged (converted to Grayscale8).
QImage interpolateMasks(const QImage& a, const QImage& b, double t);

class MaskTrack {
public:
    // Makes `frame` a keyframe with `mask` (converted to Grayscale8); a null mask removes the key.
    void setKey(int64_t frame, const QImage& mask);
    void removeKey(int64_t frame);
    bool isKey(int64_t frame) const { return m_keys.count(frame) != 0; }
    bool isEmpty() const { return m_keys.empty(); }
    const std::map<int64_t, QImage>& keys() const { return m_keys; }
    // The keyframe at or before / after `frame` (-1: none).
    int64_t previousKey(int64_t frame) const;
    int64_t nextKey(int64_t frame) const;
    // The mask of `frame`: its key as painted, the interpolation between the keys around it, the
    // nearest key's mask outside them; a null image when the track has no key.
    QImage maskAt(int64_t frame) const;

private:
    std::map<int64_t, QImage> m_keys;
};

// Writes the masks of the track's frames [first, first + count) as a PNG sequence numbered from 0
// (`pattern` as sequenceFramePath reads it, e.g. `dir/%04d.png`), each `size` (a key of another
// size is resized, nearest): what an inpaint job reads and "Export masks" writes. A track with no
// key writes empty (black) masks. `progress(done)` returning false cancels: the files written are
// removed. Returns false when cancelled; throws std::runtime_error naming the file it could not write.
bool writeMaskSequence(const MaskTrack& track, int64_t first, int64_t count, QSize size,
    const QString& pattern, const std::function<bool(int64_t done)>& progress = {});

} // namespace kinora::core
