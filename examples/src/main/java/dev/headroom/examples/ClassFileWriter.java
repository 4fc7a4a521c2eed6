package dev.headroom.examples;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Writes a minimal, valid class file (version 52, Java 8) that weighs a little in metaspace:
 * <pre>
 * public class NAME {
 *     public static int m0() { "unique string"; ...; return 0; }   // METHODS methods, each ldc-ing its share
 *     ...                                                            // of STRINGS unique string constants
 * }
 * </pre>
 * Every string contains the class number, so no two classes share a constant.
 */
final class ClassFileWriter {
    static final int STRINGS = 32;
    static final int METHODS = 4;

    private ClassFileWriter() {
    }

    static byte[] write(String internalName, long serial) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0); // minor
            out.writeShort(52); // major: Java 8

            // constant pool, 1-based: fixed entries, then method names, then STRINGS (Utf8, String) pairs
            int thisName = 1, thisClass = 2, superName = 3, superClass = 4, code = 5, descriptor = 6;
            int firstMethodName = 7;
            int firstString = firstMethodName + METHODS;
            int poolCount = firstString + 2 * STRINGS;
            out.writeShort(poolCount);
            utf8(out, internalName);
            classRef(out, thisName);
            utf8(out, "java/lang/Object");
            classRef(out, superName);
            utf8(out, "Code");
            utf8(out, "()I");
            for (int m = 0; m < METHODS; m++) {
                utf8(out, "m" + m);
            }
            for (int s = 0; s < STRINGS; s++) {
                utf8(out, "headroom grow metaspace constant " + s + " of class " + serial);
                out.writeByte(8); // CONSTANT_String
                out.writeShort(firstString + 2 * s);
            }

            out.writeShort(0x0001 | 0x0020); // ACC_PUBLIC | ACC_SUPER
            out.writeShort(thisClass);
            out.writeShort(superClass);
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields

            int perMethod = STRINGS / METHODS;
            out.writeShort(METHODS);
            for (int m = 0; m < METHODS; m++) {
                out.writeShort(0x0001 | 0x0008); // ACC_PUBLIC | ACC_STATIC
                out.writeShort(firstMethodName + m);
                out.writeShort(descriptor);
                out.writeShort(1); // attributes: Code
                int codeLength = perMethod * 4 + 2;
                out.writeShort(code);
                out.writeInt(2 + 2 + 4 + codeLength + 2 + 2);
                out.writeShort(1); // max_stack
                out.writeShort(0); // max_locals
                out.writeInt(codeLength);
                for (int s = m * perMethod; s < (m + 1) * perMethod; s++) {
                    out.writeByte(0x13); // ldc_w
                    out.writeShort(firstString + 2 * s + 1);
                    out.writeByte(0x57); // pop
                }
                out.writeByte(0x03); // iconst_0
                out.writeByte(0xAC); // ireturn
                out.writeShort(0); // exception table
                out.writeShort(0); // code attributes
            }
            out.writeShort(0); // class attributes
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen in memory
        }
    }

    private static void utf8(DataOutputStream out, String value) throws IOException {
        out.writeByte(1); // CONSTANT_Utf8
        out.writeUTF(value);
    }

    private static void classRef(DataOutputStream out, int nameIndex) throws IOException {
        out.writeByte(7); // CONSTANT_Class
        out.writeShort(nameIndex);
    }
}
