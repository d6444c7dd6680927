package com.factory.inspect.gate.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    private static ModelDescriptor model(int w, int h, ColourOrder colour, ResizeMethod resize, TensorLayout layout,
            double scale, double mean, double std) {
        int c = colour.channels();
        List<Integer> shape = layout == TensorLayout.NCHW ? List.of(1, c, h, w) : List.of(1, h, w, c);
        return new ModelDescriptor("m", "1.0.0", ModelFormat.ONNX, "m.onnx", shape, layout,
                new Preprocessing(colour, resize, scale, Collections.nCopies(c, mean), Collections.nCopies(c, std)),
                List.of("good", "defect"), 1, 0.5, "0".repeat(64));
    }

    private static Frame mono(int w, int h, int... values) {
        byte[] b = new byte[w * h];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return Frame.of("c", 0, 0, PixelFormat.MONO8, w, h, b, GroundTruth.UNKNOWN, "");
    }

    private static float[] run(ModelDescriptor d, Frame f) {
        Preprocessor p = new Preprocessor(d);
        float[] out = new float[p.outputLength()];
        p.run(f, out, 0);
        return out;
    }

    @Test
    void sameSizeIsIdentityPlusNormalisation() {
        ModelDescriptor d = model(2, 2, ColourOrder.MONO, ResizeMethod.BILINEAR, TensorLayout.NCHW, 1.0 / 255, 0.5,
                0.25);
        float[] out = run(d, mono(2, 2, 0, 255, 51, 102));
        // (v/255 - 0.5) / 0.25
        assertArrayEquals(new float[] {-2f, 2f, -1.2f, -0.4f}, out, 1e-5f);
    }

    @Test
    void bilinearDownscaleAveragesWithPixelCentres() {
        // 4x1 -> 2x1: target pixel 0 samples source x = 0.5, between 10 and 30.
        ModelDescriptor d = model(2, 1, ColourOrder.MONO, ResizeMethod.BILINEAR, TensorLayout.NCHW, 1, 0, 1);
        assertArrayEquals(new float[] {20f, 60f}, run(d, mono(4, 1, 10, 30, 50, 70)), 1e-5f);
    }

    @Test
    void bilinearUpscaleClampsAtTheBorder() {
        // 2x1 -> 4x1: source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        ModelDescriptor d = model(4, 1, ColourOrder.MONO, ResizeMethod.BILINEAR, TensorLayout.NCHW, 1, 0, 1);
        assertArrayEquals(new float[] {0f, 25f, 75f, 100f}, run(d, mono(2, 1, 0, 100)), 1e-5f);
    }

    @Test
    void nearestPicksTheCoveringPixel() {
        ModelDescriptor d = model(2, 1, ColourOrder.MONO, ResizeMethod.NEAREST, TensorLayout.NCHW, 1, 0, 1);
        assertArrayEquals(new float[] {30f, 70f}, run(d, mono(4, 1, 10, 30, 50, 70)), 1e-5f);
    }

    @Test
    void colourOrderAndLayoutFollowTheDescriptor() {
        byte[] rgb = {10, 20, 30, 40, 50, 60};
        Frame f = Frame.of("c", 0, 0, PixelFormat.RGB8, 2, 1, rgb, GroundTruth.UNKNOWN, "");
        ModelDescriptor bgrPlanar = model(2, 1, ColourOrder.BGR, ResizeMethod.NEAREST, TensorLayout.NCHW, 1, 0, 1);
        assertArrayEquals(new float[] {30, 60, 20, 50, 10, 40}, run(bgrPlanar, f), 1e-5f);
        ModelDescriptor rgbInterleaved = model(2, 1, ColourOrder.RGB, ResizeMethod.NEAREST, TensorLayout.NHWC, 1, 0,
                1);
        assertArrayEquals(new float[] {10, 20, 30, 40, 50, 60}, run(rgbInterleaved, f), 1e-5f);
        Frame bgr = Frame.of("c", 0, 0, PixelFormat.BGR8, 2, 1, rgb, GroundTruth.UNKNOWN, "");
        ModelDescriptor rgbPlanar = model(2, 1, ColourOrder.RGB, ResizeMethod.NEAREST, TensorLayout.NCHW, 1, 0, 1);
        assertArrayEquals(new float[] {30, 60, 20, 50, 10, 40}, run(rgbPlanar, bgr), 1e-5f);
    }

    @Test
    void colourBecomesLumaAndMonoIsReplicated() {
        Frame red = Frame.of("c", 0, 0, PixelFormat.RGB8, 1, 1, new byte[] {(byte) 200, 0, 0}, GroundTruth.UNKNOWN,
                "");
        ModelDescriptor monoModel = model(1, 1, ColourOrder.MONO, ResizeMethod.NEAREST, TensorLayout.NCHW, 1, 0, 1);
        assertEquals(0.299f * 200, run(monoModel, red)[0], 1e-3f);
        ModelDescriptor rgbModel = model(1, 1, ColourOrder.RGB, ResizeMethod.NEAREST, TensorLayout.NCHW, 1, 0, 1);
        assertArrayEquals(new float[] {77, 77, 77}, run(rgbModel, mono(1, 1, 77)), 1e-5f);
    }

    @Test
    void refusesABufferThatIsTooSmall() {
        Preprocessor p = new Preprocessor(model(2, 2, ColourOrder.MONO, ResizeMethod.NEAREST, TensorLayout.NCHW, 1, 0,
                1));
        assertThrows(IllegalArgumentException.class, () -> p.run(mono(2, 2, 1, 2, 3, 4), new float[3], 0));
    }
}
