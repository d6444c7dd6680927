package com.factory.inspect.lib.openvino;

/**
 * OpenVINO's C API status codes ({@code ov_status_e}), unchanged since 2022.3: the C++ exception
 * kinds (-1 to -13) and the C wrapper's own (-14 to -17).
 */
public enum OvStatus {
    OK(0, "success"),
    GENERAL_ERROR(-1, "OpenVINO raised an error"),
    NOT_IMPLEMENTED(-2, "not implemented by the device plugin"),
    NETWORK_NOT_LOADED(-3, "model not loaded"),
    PARAMETER_MISMATCH(-4, "parameter mismatch"),
    NOT_FOUND(-5, "not found"),
    OUT_OF_BOUNDS(-6, "out of bounds"),
    UNEXPECTED(-7, "unexpected exception (not derived from std::exception)"),
    REQUEST_BUSY(-8, "infer request busy"),
    RESULT_NOT_READY(-9, "result not ready"),
    NOT_ALLOCATED(-10, "not allocated"),
    INFER_NOT_STARTED(-11, "inference not started"),
    NETWORK_NOT_READ(-12, "model not read"),
    INFER_CANCELLED(-13, "inference cancelled"),
    INVALID_C_PARAM(-14, "invalid argument to the C API"),
    UNKNOWN_C_ERROR(-15, "unknown error in the C API"),
    NOT_IMPLEMENT_C_METHOD(-16, "C API function not implemented"),
    UNKNOW_EXCEPTION(-17, "unknown exception");

    private final int code;
    private final String meaning;

    OvStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The {@code ov_status_e} value. */
    public int code() {
        return code;
    }

    /** What the code means, in a few words. */
    public String meaning() {
        return meaning;
    }

    /** The status with this code, or {@code null} for a code this version does not know. */
    public static OvStatus of(int code) {
        for (OvStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** {@code NAME (code)} for a known code, {@code status code} for another. */
    public static String describe(int code) {
        OvStatus s = of(code);
        return s == null ? "status " + code : s.name() + " (" + code + ")";
    }
}
