package com.factory.inspect.backend.tensorrt;

import com.factory.inspect.api.inference.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.ITensor;

/**
 * TensorRT's tensor descriptions as the API's {@link TensorSpec}s. JavaCPP may hand back enum
 * instances that are not the constants, so enums are compared by {@code value}.
 */
final class TrtTensors {
    private TrtTensors() {
    }

    /** Element type as the API names it: {@code float32}, {@code float16}, {@code int8}, ... */
    static String elementType(DataType type) {
        int v = type.value;
        if (v == DataType.kFLOAT.value) {
            return EngineContract.FLOAT32;
        } else if (v == DataType.kHALF.value) {
            return "float16";
        } else if (v == DataType.kBF16.value) {
            return "bfloat16";
        } else if (v == DataType.kINT8.value) {
            return "int8";
        } else if (v == DataType.kUINT8.value) {
            return "uint8";
        } else if (v == DataType.kINT32.value) {
            return "int32";
        } else if (v == DataType.kINT64.value) {
            return "int64";
        } else if (v == DataType.kBOOL.value) {
            return "bool";
        }
        return "tensorrt type " + v;
    }

    /** Bytes per element, for sizing buffers; 4 for a type this does not know (over-allocates). */
    static int elementBytes(String elementType) {
        return switch (elementType) {
            case "float16", "bfloat16" -> 2;
            case "int8", "uint8", "bool" -> 1;
            case "int64" -> 8;
            default -> 4;
        };
    }

    /** The dimensions; {@code -1} where dynamic. Closes {@code dims} (a copy JavaCPP allocated). */
    static List<Long> shape(Dims64 dims) {
        try (dims) {
            List<Long> shape = new ArrayList<>(dims.nbDims());
            for (int i = 0; i < dims.nbDims(); i++) {
                shape.add(dims.d(i));
            }
            return shape;
        }
    }

    /** A new {@code Dims64} with these dimensions; the caller closes it. */
    static Dims64 dims(long... dimensions) {
        Dims64 dims = new Dims64();
        dims.nbDims(dimensions.length);
        for (int i = 0; i < dimensions.length; i++) {
            dims.d(i, dimensions[i]);
        }
        return dims;
    }

    static TensorSpec spec(ITensor tensor) {
        return new TensorSpec(tensor.getName(), elementType(tensor.getType()), shape(tensor.getDimensions()));
    }

    static List<TensorSpec> inputs(INetworkDefinition network) {
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < network.getNbInputs(); i++) {
            specs.add(spec(network.getInput(i)));
        }
        return specs;
    }

    static List<TensorSpec> outputs(INetworkDefinition network) {
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < network.getNbOutputs(); i++) {
            specs.add(spec(network.getOutput(i)));
        }
        return specs;
    }

    /** The engine's input ({@code inputs == true}) or output tensors, in the engine's order. */
    static List<TensorSpec> io(ICudaEngine engine, boolean inputs) {
        int wanted = (inputs ? TensorIOMode.kINPUT : TensorIOMode.kOUTPUT).value;
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            if (engine.getTensorIOMode(name).value == wanted) {
                specs.add(new TensorSpec(name, elementType(engine.getTensorDataType(name)),
                        shape(engine.getTensorShape(name))));
            }
        }
        return specs;
    }
}
