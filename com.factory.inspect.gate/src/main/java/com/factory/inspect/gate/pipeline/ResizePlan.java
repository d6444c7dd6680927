package com.factory.inspect.gate.pipeline;

import com.factory.inspect.api.model.ResizeMethod;

/**
 * Precomputed source coordinates and weights for one (source size → target size) pair, so the
 * per-frame loop only reads tables. Bilinear uses pixel-centre alignment
 * ({@code src = (dst + 0.5) * srcSize / dstSize - 0.5}, clamped), as PyTorch's
 * {@code interpolate(align_corners=False)} and OpenCV's {@code INTER_LINEAR} do.
 */
final class ResizePlan {
    final int[] x0;
    final int[] x1;
    final float[] wx;
    final int[] y0;
    final int[] y1;
    final float[] wy;

    private ResizePlan(int[] x0, int[] x1, float[] wx, int[] y0, int[] y1, float[] wy) {
        this.x0 = x0;
        this.x1 = x1;
        this.wx = wx;
        this.y0 = y0;
        this.y1 = y1;
        this.wy = wy;
    }

    static ResizePlan of(ResizeMethod method, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        int[] x0 = new int[dstWidth];
        int[] x1 = new int[dstWidth];
        float[] wx = new float[dstWidth];
        int[] y0 = new int[dstHeight];
        int[] y1 = new int[dstHeight];
        float[] wy = new float[dstHeight];
        axis(method, srcWidth, dstWidth, x0, x1, wx);
        axis(method, srcHeight, dstHeight, y0, y1, wy);
        return new ResizePlan(x0, x1, wx, y0, y1, wy);
    }

    private static void axis(ResizeMethod method, int src, int dst, int[] i0, int[] i1, float[] w) {
        double scale = (double) src / dst;
        for (int d = 0; d < dst; d++) {
            if (method == ResizeMethod.NEAREST) {
                int s = Math.min(src - 1, (int) Math.floor((d + 0.5) * scale));
                i0[d] = s;
                i1[d] = s;
                w[d] = 0f;
            } else {
                double s = Math.min(Math.max((d + 0.5) * scale - 0.5, 0.0), src - 1);
                int lo = (int) Math.floor(s);
                i0[d] = lo;
                i1[d] = Math.min(lo + 1, src - 1);
                w[d] = (float) (s - lo);
            }
        }
    }
}
