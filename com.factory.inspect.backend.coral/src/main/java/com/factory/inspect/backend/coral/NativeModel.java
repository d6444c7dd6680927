package com.factory.inspect.backend.coral;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteModelCreate;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteModelDelete;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.TfLiteModel;

/**
 * A verified TensorFlow Lite model and the native copy of its file, which TensorFlow Lite reads in
 * place and which must therefore live as long as the model and every interpreter built from it.
 * Owned by one {@link TfLiteLoadedModel}; closed after its interpreters.
 */
final class NativeModel implements AutoCloseable {
    private final BytePointer file;
    private final TfLiteModel model;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeModel(BytePointer file, TfLiteModel model) {
        this.file = file;
        this.model = model;
    }

    /**
     * Copies {@code bytes} to native memory and builds the model from them; TensorFlow Lite verifies
     * the flatbuffer first.
     *
     * @param name how messages name the model
     * @throws InferenceException {@code MODEL_INVALID} if TensorFlow Lite rejects the file
     */
    static NativeModel create(byte[] bytes, String name) throws InferenceException {
        BytePointer file = new BytePointer(bytes.length);
        file.put(bytes);
        TfLiteModel model = TfLiteModelCreate(file, bytes.length);
        if (model == null || model.isNull()) {
            file.deallocate();
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + " is not a TensorFlow Lite model: its "
                    + bytes.length + " bytes failed TensorFlow Lite's flatbuffer verification");
        }
        return new NativeModel(file, model);
    }

    /** The model, for building interpreters. */
    TfLiteModel handle() {
        return model;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            TfLiteModelDelete(model);
            file.deallocate();
        }
    }
}
