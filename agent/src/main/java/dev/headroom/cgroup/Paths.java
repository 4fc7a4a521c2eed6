package dev.headroom.cgroup;

/** Path arithmetic on absolute, "/"-separated paths inside the root. */
final class Paths {

    private Paths() {
    }

    static String normalizeRoot(String root) {
        if (root == null || root.isEmpty() || root.equals("/")) {
            return "";
        }
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    static String join(String dir, String relative) {
        if (relative.isEmpty() || relative.equals("/")) {
            return dir;
        }
        String rel = relative.startsWith("/") ? relative : "/" + relative;
        return dir.equals("/") ? rel : dir + rel;
    }

    /** The parent of dir, or null once dir is the top (the mount point). */
    static String parent(String dir, String top) {
        if (dir.equals(top) || !dir.startsWith(top)) {
            return null;
        }
        int slash = dir.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : dir.substring(0, slash);
        return parent.length() < top.length() ? null : parent;
    }
}
