package com.factory.inspect.lib.openvino.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** The C structs of {@link OpenVinoC}, field for field (64-bit layout: {@code size_t} is a long). */
public final class Structs {
    private Structs() {
    }

    /** {@code ov_shape_t}: {@code int64_t rank; int64_t* dims}. */
    @FieldOrder({"rank", "dims"})
    public static class Shape extends Structure {
        public long rank;
        public Pointer dims;

        /** {@code ov_shape_t} passed by value. */
        public static class ByValue extends Shape implements Structure.ByValue {
        }
    }

    /**
     * {@code ov_partial_shape_t}: {@code ov_rank_t rank} (an {@code ov_dimension_t}: min, max) and
     * {@code ov_dimension_t* dims}, one {@code {int64_t min; int64_t max}} per dimension; a
     * dimension is static when min equals max, unbounded when max is -1.
     */
    @FieldOrder({"rankMin", "rankMax", "dims"})
    public static class PartialShape extends Structure {
        public long rankMin;
        public long rankMax;
        public Pointer dims;
    }

    /** {@code ov_version_t}: two strings the library allocated. */
    @FieldOrder({"buildNumber", "description"})
    public static class Version extends Structure {
        public Pointer buildNumber;
        public Pointer description;
    }

    /** {@code ov_available_devices_t}: {@code char** devices; size_t size}. */
    @FieldOrder({"devices", "size"})
    public static class AvailableDevices extends Structure {
        public Pointer devices;
        public long size;
    }
}
