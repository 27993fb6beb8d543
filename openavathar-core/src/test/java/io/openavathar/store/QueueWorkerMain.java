package io.openavathar.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A second studio process for {@code PostgresSharedStoreTest}: connects to a store URL (its
 * password from {@code OPENAVATHAR_STORE_PASSWORD}), says {@code ready}, waits for {@code go} on
 * its input, then {@linkplain #work claims} what it can, printing {@code job <id>} and {@code track
 * <id>} for each claim it wins, then {@code done}.
 *
 * <p>Arguments: store URL, owner, batch size.
 */
final class QueueWorkerMain {
  private QueueWorkerMain() {}

  public static void main(String[] args) {
    try (StudioStore store = StudioStore.connect(args[0]);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("ready");
      System.out.flush();
      if (!"go".equals(in.readLine())) {
        throw new IllegalStateException("expected go");
      }
      work(
          store,
          args[1],
          Integer.parseInt(args[2]),
          id -> System.out.println("job " + id),
          id -> System.out.println("track " + id));
      System.out.println("done");
      System.out.flush();
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * Claims unfinished jobs {@code batch} at a time until none is free, then tries to claim every
   * pending track, as studios sharing a queue do.
   */
  static void work(
      StudioStore store,
      String owner,
      int batch,
      Consumer<String> jobClaimed,
      Consumer<String> trackClaimed) {
    List<String> tracks = new ArrayList<>(store.pendingTracks());
    Collections.shuffle(tracks, new Random(owner.hashCode())); // each owner in its own order
    for (List<JobRecord> claimed =
            store.claimUnfinished(owner, batch, StoreWorkerMain.NOW, StoreWorkerMain.LEASE);
        !claimed.isEmpty();
        claimed = store.claimUnfinished(owner, batch, StoreWorkerMain.NOW, StoreWorkerMain.LEASE)) {
      claimed.forEach(j -> jobClaimed.accept(j.id()));
    }
    for (String track : tracks) {
      if (store.claimPendingTrack(track, owner, StoreWorkerMain.NOW, StoreWorkerMain.LEASE)) {
        trackClaimed.accept(track);
      }
    }
  }
}
