package com.factory.inspect.gate.pipeline;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.TensorLayout;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a frame into a model's input tensor exactly as its descriptor says: colour conversion,
 * resize, then {@code (pixel * scale - mean) / std} per channel, in the model's layout. Thread-safe;
 * the per-frame path allocates nothing once a frame size has been seen (resize tables are cached
 * per source size).
 */
public final class Preprocessor {
    // ITU-R BT.601 luma, the usual weights for "convert to grey".
    private static final float LUMA_R = 0.299f;
    private static final float LUMA_G = 0.587f;
    private static final float LUMA_B = 0.114f;

    private final ModelDescriptor descriptor;
    private final int width;
    private final int height;
    private final int channels;
    private final boolean nchw;
    private final float[] gain;
    private final float[] offset;
    private final Map<Long, ResizePlan> plans = new ConcurrentHashMap<>();

    public Preprocessor(ModelDescriptor descriptor) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.width = descriptor.inputWidth();
        this.height = descriptor.inputHeight();
        this.channels = descriptor.inputChannels();
        this.nchw = descriptor.inputLayout() == TensorLayout.NCHW;
        Preprocessing pre = descriptor.preprocessing();
        this.gain = new float[channels];
        this.offset = new float[channels];
        for (int c = 0; c < channels; c++) {
            double std = pre.std().get(c);
            gain[c] = (float) (pre.scale() / std);
            offset[c] = (float) (-pre.mean().get(c) / std);
        }
    }

    /** The descriptor this preprocessor follows. */
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** Number of floats one frame becomes. */
    public int outputLength() {
        return channels * height * width;
    }

    /**
     * Writes the tensor of {@code frame} into {@code out} from {@code offset} on.
     *
     * @throws IllegalArgumentException if {@code out} is too small
     */
    public void run(Frame frame, float[] out, int outOffset) {
        if (out.length - outOffset < outputLength()) {
            throw new IllegalArgumentException("preprocessing " + descriptor.coordinates() + " needs "
                    + outputLength() + " floats, the buffer has " + (out.length - outOffset));
        }
        int srcWidth = frame.width();
        ResizePlan plan = plans.computeIfAbsent(((long) srcWidth << 32) | frame.height(),
                k -> ResizePlan.of(descriptor.preprocessing().resize(), srcWidth, frame.height(), width, height));
        PixelFormat format = frame.pixelFormat();
        if (format == PixelFormat.MONO8) {
            runMono(frame, plan, out, outOffset);
            return;
        }
        int bpp = format.bytesPerPixel();
        ColourOrder target = descriptor.preprocessing().colour();
        int planeSize = height * width;
        for (int y = 0; y < height; y++) {
            int row0 = plan.y0[y] * srcWidth;
            int row1 = plan.y1[y] * srcWidth;
            float wy = plan.wy[y];
            for (int x = 0; x < width; x++) {
                int i00 = (row0 + plan.x0[x]) * bpp;
                int i01 = (row0 + plan.x1[x]) * bpp;
                int i10 = (row1 + plan.x0[x]) * bpp;
                int i11 = (row1 + plan.x1[x]) * bpp;
                float wx = plan.wx[x];
                int pixel = y * width + x;
                for (int c = 0; c < channels; c++) {
                    float v = sample(frame, format, target, c, i00, i01, i10, i11, wx, wy);
                    int index = nchw ? outOffset + c * planeSize + pixel : outOffset + pixel * channels + c;
                    out[index] = v * gain[c] + offset[c];
                }
            }
        }
    }

    /** The common case, a grey camera: one sample per pixel, copied to every target channel. */
    private void runMono(Frame frame, ResizePlan plan, float[] out, int outOffset) {
        int srcWidth = frame.width();
        int planeSize = height * width;
        for (int y = 0; y < height; y++) {
            int row0 = plan.y0[y] * srcWidth;
            int row1 = plan.y1[y] * srcWidth;
            float wy = plan.wy[y];
            int pixel = y * width;
            for (int x = 0; x < width; x++, pixel++) {
                int x0 = plan.x0[x];
                int x1 = plan.x1[x];
                float wx = plan.wx[x];
                float top = frame.pixelByte(row0 + x0);
                top += (frame.pixelByte(row0 + x1) - top) * wx;
                float bottom = frame.pixelByte(row1 + x0);
                bottom += (frame.pixelByte(row1 + x1) - bottom) * wx;
                float v = top + (bottom - top) * wy;
                for (int c = 0; c < channels; c++) {
                    int index = nchw ? outOffset + c * planeSize + pixel : outOffset + pixel * channels + c;
                    out[index] = v * gain[c] + offset[c];
                }
            }
        }
    }

    /** Bilinear sample of target channel {@code c} (nearest has zero weights). */
    private static float sample(Frame f, PixelFormat format, ColourOrder target, int c, int i00, int i01, int i10,
            int i11, float wx, float wy) {
        if (format == PixelFormat.MONO8) {
            return lerp(f, 0, i00, i01, i10, i11, wx, wy);
        }
        if (target == ColourOrder.MONO) {
            int r = format == PixelFormat.RGB8 ? 0 : 2;
            int b = 2 - r;
            return LUMA_R * lerp(f, r, i00, i01, i10, i11, wx, wy) + LUMA_G * lerp(f, 1, i00, i01, i10, i11, wx, wy)
                    + LUMA_B * lerp(f, b, i00, i01, i10, i11, wx, wy);
        }
        // RGB or BGR target from an RGB or BGR frame: swap red and blue when the orders differ.
        boolean sameOrder = (format == PixelFormat.RGB8) == (target == ColourOrder.RGB);
        int source = sameOrder ? c : 2 - c;
        return lerp(f, source, i00, i01, i10, i11, wx, wy);
    }

    private static float lerp(Frame f, int channel, int i00, int i01, int i10, int i11, float wx, float wy) {
        float top = f.pixelByte(i00 + channel);
        top += (f.pixelByte(i01 + channel) - top) * wx;
        float bottom = f.pixelByte(i10 + channel);
        bottom += (f.pixelByte(i11 + channel) - bottom) * wx;
        return top + (bottom - top) * wy;
    }
}
