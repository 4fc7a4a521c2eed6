package dev.headroom.sink.micrometer;

import dev.headroom.loading.NestedJarLoader;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * The only class that touches ASM (Byte Buddy's bundled copy, shaded to
 * {@code dev.headroom.shaded.bytebuddy.jar.asm}). Puts a call to {@link RegistryHook} at each
 * {@link HookPoint}: on exit of a constructor, on entry of a method. Nothing else of the class
 * changes (no field, no method: retransformation allows none), and methods without a hook point
 * are copied as they are.
 *
 * <p>Why plain ASM and not Byte Buddy's {@code AgentBuilder}/{@code Advice}: those load about
 * 1100 classes and cost 0.8 to 1 s of CPU on a busy 2-core machine; this loads about 25 and
 * needs a few tens of milliseconds, which is also what makes it cheap enough to instrument a
 * class as it is loaded, so no registry is ever created before its class was instrumented.
 *
 * <p>The call is copied into Micrometer's classes, so it uses JDK types only and reaches the hook
 * by name through the system class loader, where the JVM always puts an agent jar:
 * {@code Class.forName(HOOK, true, systemLoader).getMethod(hook, Object.class).invoke(null, registry)},
 * inside a catch-all handler, so nothing it does can reach the application.
 *
 * <p>Never loaded by the agent's own loader: {@link NestedJarLoader} defines it, with its nested
 * classes, next to the ASM it defines from the nested jar; {@link TransformerLifecycle} calls
 * {@link #build} reflectively (hence public). What it uses of its package ({@link HookPoint})
 * is public and comes from the agent's loader.
 */
public final class Instrumenter implements ClassFileTransformer {

    static final String HOOK = "dev.headroom.sink.micrometer.RegistryHook";
    private static final String THROWABLE = "java/lang/Throwable";

    private final java.util.function.Consumer<String> errors;

    private Instrumenter(java.util.function.Consumer<String> errors) {
        this.errors = errors;
    }

    /** A transformer for the classes that hold {@link HookPoint}s; it returns null for any other. */
    public static ClassFileTransformer build(java.util.function.Consumer<String> errors) {
        Instrumenter instrumenter = new Instrumenter(errors);
        // load and link the ASM classes now, on the headroom-micrometer thread, not during an
        // application thread's class load
        instrument(warmUpClass(), HookPoint.of(HookPoint.METER_REGISTRY));
        return instrumenter;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        List<HookPoint> points = HookPoint.of(className);
        if (points.isEmpty()) {
            return null;
        }
        try {
            return instrument(classfileBuffer, points);
        } catch (Throwable t) {
            errors.accept("could not instrument " + className.replace('/', '.') + ": " + t);
            return null;
        }
    }

    /** The class with a hook call at each of its points, or null when none matched. */
    static byte[] instrument(byte[] classfile, final List<HookPoint> points) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        final int[] hooked = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;
            private boolean frames;
            private boolean supported;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                int major = version & 0xFFFF;
                supported = major >= Opcodes.V1_5; // ldc of a class constant
                frames = major >= Opcodes.V1_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!supported || (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return mv;
                }
                for (HookPoint p : points) {
                    if (p.matches(name, descriptor)) {
                        hooked[0]++;
                        return name.equals("<init>") ? new OnExit(mv, owner, p, frames)
                                : new OnEntry(mv, owner, descriptor, p, frames);
                    }
                }
                return mv;
            }
        }, ClassReader.EXPAND_FRAMES);
        return hooked[0] == 0 ? null : writer.toByteArray();
    }

    /** The hook call, guarded: {@code try { hook(local) } catch (Throwable ignored) {}} at method entry. */
    private static final class OnEntry extends MethodVisitor {
        private final String owner;
        private final String descriptor;
        private final HookPoint point;
        private final boolean frames;

        OnEntry(MethodVisitor mv, String owner, String descriptor, HookPoint point, boolean frames) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.descriptor = descriptor;
            this.point = point;
            this.frames = frames;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            Label resume = new Label();
            super.visitTryCatchBlock(start, end, handler, THROWABLE);
            super.visitLabel(start);
            call(mv, point);
            super.visitLabel(end);
            super.visitJumpInsn(Opcodes.GOTO, resume);
            super.visitLabel(handler);
            Object[] locals = initialLocals(owner, descriptor);
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
            }
            super.visitInsn(Opcodes.POP);
            super.visitLabel(resume);
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
            }
            super.visitInsn(Opcodes.NOP); // the method's own frame at its first instruction, if any, comes after
        }
    }

    /**
     * The hook call, guarded, before each {@code return} of a constructor; the handler, placed
     * right after that {@code return}, returns too (the object is complete by then).
     */
    private static final class OnExit extends MethodVisitor {
        private final String owner;
        private final HookPoint point;
        private final boolean frames;

        OnExit(MethodVisitor mv, String owner, HookPoint point, boolean frames) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.point = point;
            this.frames = frames;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode != Opcodes.RETURN) {
                super.visitInsn(opcode);
                return;
            }
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            super.visitTryCatchBlock(start, end, handler, THROWABLE);
            super.visitLabel(start);
            call(mv, point);
            super.visitLabel(end);
            super.visitInsn(Opcodes.RETURN);
            super.visitLabel(handler);
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner}, 1, new Object[] {THROWABLE});
            }
            super.visitInsn(Opcodes.POP);
            super.visitInsn(Opcodes.RETURN);
        }
    }

    /** {@code Class.forName(HOOK, true, systemLoader).getMethod(hook, Object.class).invoke(null, local)}. */
    private static void call(MethodVisitor mv, HookPoint point) {
        mv.visitLdcInsn(HOOK);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ClassLoader", "getSystemClassLoader",
                "()Ljava/lang/ClassLoader;", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", false);
        mv.visitLdcInsn(point.hook);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Class");
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitLdcInsn(Type.getType(Object.class));
        mv.visitInsn(Opcodes.AASTORE);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getMethod",
                "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", false);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ALOAD, point.local);
        mv.visitInsn(Opcodes.AASTORE);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/reflect/Method", "invoke",
                "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", false);
        mv.visitInsn(Opcodes.POP);
    }

    /** The frame at an instance method's entry: the receiver, then the parameters (ASM's notation). */
    private static Object[] initialLocals(String owner, String descriptor) {
        List<Object> locals = new ArrayList<>();
        locals.add(owner);
        for (Type t : Type.getArgumentTypes(descriptor)) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    locals.add(Opcodes.INTEGER);
                    break;
                case Type.FLOAT:
                    locals.add(Opcodes.FLOAT);
                    break;
                case Type.LONG:
                    locals.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    locals.add(Opcodes.DOUBLE);
                    break;
                default:
                    locals.add(t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName());
            }
        }
        return locals.toArray();
    }

    /**
     * A small class with a constructor and a {@code getMeters()}, instrumented once by
     * {@link #build}: loads every ASM class a real target needs. Written with ASM itself.
     */
    private static byte[] warmUpClass() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, HookPoint.METER_REGISTRY, null, "java/lang/Object", null);
        MethodVisitor init = w.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor get = w.visitMethod(Opcodes.ACC_PUBLIC, "getMeters", "()Ljava/util/List;", null, null);
        get.visitCode();
        get.visitInsn(Opcodes.ACONST_NULL);
        get.visitInsn(Opcodes.ARETURN);
        get.visitMaxs(0, 0);
        get.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
