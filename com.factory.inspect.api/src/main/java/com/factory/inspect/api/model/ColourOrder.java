package com.factory.inspect.api.model;

/** Channel order a model expects; {@link #MONO} means one luminance channel. */
public enum ColourOrder {
    MONO(1),
    RGB(3),
    BGR(3);

    private final int channels;

    ColourOrder(int channels) {
        this.channels = channels;
    }

    /** Number of channels a tensor in this order has. */
    public int channels() {
        return channels;
    }
}
