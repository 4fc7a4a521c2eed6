package headroombench;

import java.lang.instrument.Instrumentation;

/** The baseline agent: a premain that does nothing, so the cost of -javaagent itself is measured apart. */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
    }
}
