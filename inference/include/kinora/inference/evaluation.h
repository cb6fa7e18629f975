#pragma once
// Reads a generated clip the way the evaluation of the default model needs: finds the object by
// colour segmentation against each frame's dominant (background) colour, names its colour (the
// nearest of the procedural palette), its shape (its silhouette against the four shapes' own,
// both scaled to their bounding boxes) and its direction (the centroid's path, 8 directions or
// standing still), and measures flicker (the mean change of background pixels between frames).
// The scorer proves itself in the tests: about 100% on clips the procedural renderer draws, about
// chance on noise.

#include "kinora/inference/procedural.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace kinora::inference {

struct ClipReading {
    bool found = false; // an object was segmented in at least half the frames
    std::string colour; // the palette's nearest colour to the object's mean colour
    std::string shape; // circle | square | triangle | star
    std::string direction; // "" standing still, else one of proceduralDirections()
    // The palette's nearest colour to the background's, read from the top quarter of the frames
    // (where a gradient is still within 9% of its named colour), away from the object.
    std::string background;
    std::vector<double> rgb; // the object's mean colour in [0, 1]
    std::vector<PixelPoint> track; // centroid per frame (frames without the object are skipped)
    double flicker = 0; // mean |change| of background pixels between frames, in 1/255
};

// `clip`: RGB [3, T, H, W] in [0, 1] of a single-object scene.
ClipReading readClip(const at::Tensor& clip);

struct ClipScore {
    bool colour = false, shape = false, direction = false, background = false;
    double flicker = 0;
    ClipReading reading;
};

// The reading of `clip` against the single object of `expected`.
ClipScore scoreClip(const at::Tensor& clip, const SceneSpec& expected);

} // namespace kinora::inference
