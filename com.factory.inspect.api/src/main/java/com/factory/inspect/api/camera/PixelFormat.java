package com.factory.inspect.api.camera;

/** Pixel layout of a frame: 8 bits per channel, rows top to bottom, no padding. */
public enum PixelFormat {
    MONO8(1),
    RGB8(3),
    BGR8(3);

    private final int bytesPerPixel;

    PixelFormat(int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
    }

    /** Bytes one pixel takes. */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }
}
