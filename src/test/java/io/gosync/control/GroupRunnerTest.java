package io.gosync.control;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** At most maxParallelGroups groups at once, in order, numbered as they start. */
class GroupRunnerTest {

  private final Map<String, Promise<Void>> sending = new LinkedHashMap<>();
  private final List<String> started = new ArrayList<>();

  private Future<Void> send(int number, String group) {
    started.add(number + ":" + group);
    Promise<Void> over = Promise.promise();
    sending.put(group, over);
    return over.future();
  }

  @Test
  void theNextGroupStartsWhenOneIsOverHoweverItEnded() {
    GroupRunner<String> runner = new GroupRunner<>(2, this::send);

    runner.run(List.of("a", "b", "c", "d"));
    assertEquals(List.of("1:a", "2:b"), started);

    sending.get("b").fail("the source could not send");
    assertEquals(List.of("1:a", "2:b", "3:c"), started);

    sending.get("a").complete();
    assertEquals(List.of("1:a", "2:b", "3:c", "4:d"), started);
    assertEquals(4, runner.started());
  }

  @Test
  void groupsThatAreOverAtOnceLetTheRestRun() {
    GroupRunner<String> runner = new GroupRunner<>(1, (number, group) -> {
      started.add(number + ":" + group);
      return Future.succeededFuture();
    });

    runner.run(List.of("a", "b", "c"));

    assertEquals(List.of("1:a", "2:b", "3:c"), started);
  }
}
