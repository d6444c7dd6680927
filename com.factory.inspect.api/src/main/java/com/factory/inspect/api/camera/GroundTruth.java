package com.factory.inspect.api.camera;

/** What a frame really shows, where the source knows it (synthetic and labelled replay sources). */
public enum GroundTruth {
    /** A live camera: nobody knows yet. */
    UNKNOWN,
    /** A good part. */
    GOOD,
    /** A defective part. */
    DEFECT
}
