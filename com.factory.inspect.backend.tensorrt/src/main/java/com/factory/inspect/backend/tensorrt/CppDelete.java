package com.factory.inspect.backend.tensorrt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;

/**
 * C++ {@code delete} for TensorRT objects that TensorRT created ({@code ICudaEngine},
 * {@code IExecutionContext}, {@code IRuntime}, {@code IBuilder}, ...).
 *
 * <p>Why: JavaCPP attaches no deallocator to objects returned by native factory methods, so their
 * {@code close()}/{@code deallocate()} does nothing, and TensorRT 10 removed {@code destroy()}
 * (javacpp-presets issue 1699). The JNI wrapper does contain a {@code delete (T*)p} function for
 * every class it can construct; a throwaway instance made with the class's constructor carries its
 * address. This calls that function on the TensorRT-created object: the same virtual destructor a
 * C++ program's {@code delete engine} runs. It reaches into JavaCPP internals
 * ({@code Pointer.deallocator()}, {@code NativeDeallocator}) through reflection, checked against the
 * JavaCPP the library bundle pins (1.5.11) by this class's unit test.
 */
final class CppDelete {
    private static final Method DEALLOCATOR;
    private static final Method FUNCTION_ADDRESS;
    private static final Method CALL;

    static {
        try {
            DEALLOCATOR = Pointer.class.getDeclaredMethod("deallocator");
            DEALLOCATOR.setAccessible(true);
            Class<?> nativeDeallocator = Class.forName(Pointer.class.getName() + "$NativeDeallocator", false,
                    Pointer.class.getClassLoader());
            FUNCTION_ADDRESS = nativeDeallocator.getDeclaredMethod("deallocatorAddress");
            FUNCTION_ADDRESS.setAccessible(true);
            CALL = nativeDeallocator.getDeclaredMethod("deallocate", long.class, long.class);
            CALL.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("this JavaCPP has no NativeDeallocator as 1.5.11 has: " + e);
        }
    }

    private CppDelete() {
    }

    /**
     * Deletes {@code object} with the {@code delete} of its class and makes it null. Does nothing for
     * null; must be called once, by the object's owner, after everything that uses it is gone.
     *
     * @param template makes a throwaway instance of {@code object}'s class with its public constructor
     *        (e.g. {@code ICudaEngine::new}); it is deleted again right away
     */
    static <P extends Pointer> void delete(P object, Supplier<? extends P> template) {
        if (object == null || object.isNull()) {
            return;
        }
        Pointer throwaway = template.get();
        try {
            Object deallocator = DEALLOCATOR.invoke(throwaway);
            if (deallocator == null || !FUNCTION_ADDRESS.getDeclaringClass().isInstance(deallocator)) {
                throw new IllegalStateException(throwaway.getClass().getName() + " has no native deallocator ("
                        + deallocator + "); cannot delete " + object);
            }
            long function = (long) FUNCTION_ADDRESS.invoke(deallocator);
            CALL.invoke(deallocator, object.address(), function);
            object.setNull();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("JavaCPP internals not accessible", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("deleting " + object + " failed", e.getCause());
        } finally {
            throwaway.deallocate();
        }
    }
}
