package com.factory.inspect.camera.folder;

import com.factory.inspect.api.camera.PixelFormat;

/**
 * A decoded image: 8 bits per channel, rows top to bottom. Internal: the pixel array is not copied
 * ({@code Frame.of} copies it).
 *
 * @param format MONO8 or RGB8
 * @param width width in pixels
 * @param height height in pixels
 * @param pixels {@code width × height × bytesPerPixel} bytes
 */
record RasterImage(PixelFormat format, int width, int height, byte[] pixels) {
}
