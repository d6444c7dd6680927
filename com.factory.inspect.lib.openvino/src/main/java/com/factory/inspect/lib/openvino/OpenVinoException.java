package com.factory.inspect.lib.openvino;

import java.util.Objects;

/**
 * An OpenVINO C API call returned a status other than OK. The message names the function, the
 * status and OpenVINO's own error text, e.g. {@code ov_core_compile_model failed with GENERAL_ERROR
 * (-1): Exception from src/inference/src/cpp/core.cpp:...}.
 */
public class OpenVinoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int status;
    private final String detail;

    /**
     * @param function the C function that failed
     * @param status its {@code ov_status_e} result
     * @param detail OpenVINO's error text (may be empty)
     */
    public OpenVinoException(String function, int status, String detail) {
        super(message(function, status, detail));
        this.function = Objects.requireNonNull(function, "function");
        this.status = status;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** The C function that failed, e.g. {@code ov_infer_request_infer}. */
    public String function() {
        return function;
    }

    /** Its {@code ov_status_e} code. */
    public int status() {
        return status;
    }

    /** The status as a constant, or {@code null} for a code this version does not know. */
    public OvStatus statusConstant() {
        return OvStatus.of(status);
    }

    /** OpenVINO's error text; empty when it gave none. */
    public String detail() {
        return detail;
    }

    /** The message for a failed call: function, status and OpenVINO's text (tidied to one line). */
    static String message(String function, int status, String detail) {
        String text = tidy(detail);
        return function + " failed with " + OvStatus.describe(status) + (text.isEmpty() ? "" : ": " + text);
    }

    /**
     * OpenVINO's messages span several lines (source location, then the reason, often indented);
     * logs and shell output want one.
     */
    static String tidy(String detail) {
        if (detail == null) {
            return "";
        }
        return detail.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | ");
    }
}
