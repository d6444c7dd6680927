package com.factory.inspect.api.model;

import java.util.List;
import java.util.Objects;

/**
 * How a frame becomes the model's input tensor: convert to {@code colour}, resize with
 * {@code resize}, then for every channel {@code c}: {@code value = (pixel * scale - mean[c]) / std[c]}.
 *
 * @param colour channel order the model expects
 * @param resize resize method
 * @param scale factor applied to the 0..255 pixel value first (1/255 maps to 0..1)
 * @param mean per-channel mean subtracted after scaling; one value per channel of {@code colour}
 * @param std per-channel standard deviation divided by; one positive value per channel
 */
public record Preprocessing(ColourOrder colour, ResizeMethod resize, double scale, List<Double> mean,
        List<Double> std) {

    public Preprocessing {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(resize, "resize");
        mean = List.copyOf(Objects.requireNonNull(mean, "mean"));
        std = List.copyOf(Objects.requireNonNull(std, "std"));
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("preprocessing scale must be finite and non-zero, was " + scale);
        }
        if (mean.size() != colour.channels() || std.size() != colour.channels()) {
            throw new IllegalArgumentException("preprocessing needs " + colour.channels()
                    + " mean and std values for " + colour + ", got " + mean.size() + " and " + std.size());
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("preprocessing std values must be positive, got " + std);
            }
        }
        for (double m : mean) {
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("preprocessing mean values must be finite, got " + mean);
            }
        }
    }
}
