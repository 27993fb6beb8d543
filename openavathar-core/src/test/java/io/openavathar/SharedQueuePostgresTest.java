package io.openavathar;

import io.openavathar.store.StudioStore;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import org.junit.jupiter.api.BeforeEach;

/** {@link SharedQueueContract} on a real PostgreSQL: one database per test, a pool per studio. */
class SharedQueuePostgresTest extends SharedQueueContract {
  private PostgresDatabase db;

  @BeforeEach
  void database() {
    db = PostgresServer.shared().createDatabase("queue");
  }

  @Override
  StudioStore openStore() {
    return StudioStore.connect(db.jdbcUrlWithUser(), db.password());
  }
}
