package dev.headroom.jmx;

import java.util.logging.LogManager;

/** An application's own LogManager, as WildFly installs org.jboss.logmanager.LogManager (child JVMs of JmxSafetyIT). */
public class AppLogManager extends LogManager {
    public AppLogManager() {
        super();
    }
}
