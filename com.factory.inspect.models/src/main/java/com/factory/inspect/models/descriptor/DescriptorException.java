package com.factory.inspect.models.descriptor;

/** A model descriptor file that cannot be read or does not describe a valid model. */
public class DescriptorException extends Exception {
    private static final long serialVersionUID = 1L;

    public DescriptorException(String message) {
        super(message);
    }

    public DescriptorException(String message, Throwable cause) {
        super(message, cause);
    }
}
