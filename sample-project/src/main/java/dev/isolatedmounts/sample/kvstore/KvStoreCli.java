package dev.isolatedmounts.sample.kvstore;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The {@code kvstore} command: {@code kvstore get KEY} prints a value, {@code kvstore put KEY
 * VALUE} stores one, on the store configured in {@code /etc/kvstore/kvstore.conf}. Exit status:
 * 0 done, 1 no such key, 2 usage error, 3 store error.
 */
public final class KvStoreCli {

  static final int OK = 0;
  static final int NOT_FOUND = 1;
  static final int USAGE = 2;
  static final int STORE_ERROR = 3;

  private KvStoreCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    boolean get = args.length == 2 && args[0].equals("get");
    boolean put = args.length == 3 && args[0].equals("put");
    if (!get && !put) {
      err.println("usage: kvstore get KEY | kvstore put KEY VALUE");
      return USAGE;
    }
    try {
      KvStore store = KvStore.openDefault();
      if (put) {
        store.put(args[1], args[2]);
        return OK;
      }
      Optional<String> value = store.getString(args[1]);
      if (value.isEmpty()) {
        err.println("kvstore: no such key: " + args[1]);
        return NOT_FOUND;
      }
      out.println(value.get());
      return OK;
    } catch (IOException | IllegalArgumentException e) {
      err.println("kvstore: " + e.getMessage());
      return STORE_ERROR;
    }
  }
}
