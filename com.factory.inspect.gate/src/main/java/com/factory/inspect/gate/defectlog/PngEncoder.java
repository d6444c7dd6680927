package com.factory.inspect.gate.defectlog;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Frames as PNG bytes (the JDK's own encoder, headless). */
final class PngEncoder {

    private PngEncoder() {
    }

    static byte[] encode(Frame frame) throws IOException {
        BufferedImage image;
        byte[] target;
        if (frame.pixelFormat() == PixelFormat.MONO8) {
            image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_BYTE_GRAY);
            target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            frame.copyPixels(target);
        } else {
            // TYPE_3BYTE_BGR stores B,G,R per pixel: copy BGR frames as they are, swap RGB ones.
            image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
            target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            frame.copyPixels(target);
            if (frame.pixelFormat() == PixelFormat.RGB8) {
                for (int i = 0; i < target.length; i += 3) {
                    byte r = target[i];
                    target[i] = target[i + 2];
                    target[i + 2] = r;
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.width() * frame.height() / 2);
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("this Java runtime has no PNG encoder");
        }
        return out.toByteArray();
    }
}
