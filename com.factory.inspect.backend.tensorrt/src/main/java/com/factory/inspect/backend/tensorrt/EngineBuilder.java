package com.factory.inspect.backend.tensorrt;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelSource;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

/**
 * Builds a serialized TensorRT engine from an ONNX model with TensorRT's ONNX parser. Slow (seconds
 * to many minutes): runs only on {@link EngineBuilds}' background thread.
 *
 * <p>Builder, parser and runtime are created through TensorRT's {@code *_INTERNAL} factory functions
 * with the loaded library's own version, not with the version of the headers the bindings were
 * generated from (10.6): the inline {@code createInferBuilder} would pass the header version, which
 * a JetPack 6 TensorRT (10.3) need not accept. Only calls that exist since TensorRT 10.0 are used.
 */
final class EngineBuilder {
    private EngineBuilder() {
    }

    /**
     * @param onnx the model file
     * @param model the model, for its descriptor and messages
     * @param name how messages name the model
     * @throws InferenceException {@code UNSUPPORTED_FORMAT} when TensorRT's parser rejects the model (it
     *         may still run elsewhere), {@code SHAPE_MISMATCH} when its tensors do not fit the
     *         descriptor, {@code BACKEND_UNAVAILABLE} when the build itself fails
     */
    static byte[] build(byte[] onnx, ModelSource model, String name, Precision precision, BatchProfile profile,
            long workspaceBytes, int device, TrtLogger logger) throws InferenceException {
        Cuda.use(device, name);
        IBuilder builder = null;
        INetworkDefinition network = null;
        IParser parser = null;
        IBuilderConfig config = null;
        IHostMemory plan = null;
        BytePointer modelBytes = null;
        try {
            builder = new IBuilder(nvinfer.createInferBuilder_INTERNAL(logger, nvinfer.getInferLibVersion()));
            if (builder.isNull()) {
                throw unavailable(name, "TensorRT could not create a builder: " + logger.takeLastError("no reason"));
            }
            network = builder.createNetworkV2(0); // TensorRT 10 networks always have an explicit batch
            parser = new IParser(nvonnxparser.createNvOnnxParser_INTERNAL(network, logger,
                    nvonnxparser.getNvOnnxParserVersion()));
            modelBytes = new BytePointer(onnx);
            if (!parser.parse(modelBytes, onnx.length)) {
                throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " was rejected by TensorRT's ONNX "
                        + "parser: " + errors(parser));
            }
            List<TensorSpec> inputs = TrtTensors.inputs(network);
            EngineContract contract = EngineContract.check(inputs, TrtTensors.outputs(network), model);
            config = builder.createBuilderConfig();
            config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, workspaceBytes);
            if (precision.fp16()) {
                config.setFlag(BuilderFlag.kFP16);
            }
            if (precision.int8()) {
                config.setFlag(BuilderFlag.kINT8);
            }
            if (contract.input().shape().get(0) < 0) {
                addProfile(builder, config, contract.input(), profile, name);
            }
            plan = builder.buildSerializedNetwork(network, config);
            if (plan == null || plan.isNull() || plan.size() <= 0) {
                throw unavailable(name, "TensorRT could not build an engine (" + precision + ", batch " + profile.text()
                        + ", " + workspaceBytes / (1024 * 1024) + " MB workspace): "
                        + logger.takeLastError("no reason logged"));
            }
            byte[] engine = new byte[Math.toIntExact(plan.size())];
            new BytePointer(plan.data()).capacity(engine.length).get(engine);
            return engine;
        } finally {
            CppDelete.delete(plan, IHostMemory::new);
            CppDelete.delete(config, IBuilderConfig::new);
            // The parser (an abstract C++ class) has no delete the bindings can reach: a few objects per
            // build stay allocated. Builds happen once per model, GPU and TensorRT version.
            CppDelete.delete(network, INetworkDefinition::new);
            CppDelete.delete(builder, IBuilder::new);
            if (modelBytes != null) {
                modelBytes.close();
            }
        }
    }

    /** The batch range of a dynamic-batch input; the profile belongs to the builder. */
    private static void addProfile(IBuilder builder, IBuilderConfig config, TensorSpec input, BatchProfile profile,
            String name) throws InferenceException {
        IOptimizationProfile p = builder.createOptimizationProfile();
        long[] dims = input.shape().stream().mapToLong(Long::longValue).toArray();
        boolean ok = set(p, input.name(), OptProfileSelector.kMIN, dims, profile.min())
                && set(p, input.name(), OptProfileSelector.kOPT, dims, profile.opt())
                && set(p, input.name(), OptProfileSelector.kMAX, dims, profile.max());
        if (!ok || config.addOptimizationProfile(p) < 0) {
            throw new InferenceException(ErrorCode.SHAPE_MISMATCH, name + ": TensorRT refused the batch profile "
                    + profile.text() + " for input " + input.name() + " " + input.shape());
        }
    }

    private static boolean set(IOptimizationProfile p, String tensor, OptProfileSelector which, long[] dims, int batch) {
        long[] d = dims.clone();
        d[0] = batch;
        try (Dims64 shape = TrtTensors.dims(d)) {
            return p.setDimensions(tensor, which, shape);
        }
    }

    private static String errors(IParser parser) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < parser.getNbErrors() && i < 5; i++) {
            IParserError e = parser.getError(i);
            errors.add(e.desc() + (e.node() >= 0 ? " (node " + e.node() + ")" : ""));
        }
        return errors.isEmpty() ? "no reason given" : String.join("; ", errors);
    }

    private static InferenceException unavailable(String name, String what) {
        return new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, name + ": " + what);
    }
}
