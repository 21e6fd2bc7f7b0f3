package io.gosync.scan;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** What the state files log during a test ({@link StateFile} logs for both caches' files): attach, then detach. */
final class StateFileLog {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  void attach() {
    appender.start();
    logger().addAppender(appender);
  }

  void detach() {
    logger().detachAppender(appender);
  }

  List<String> warnings() {
    return appender.list.stream().filter(event -> event.getLevel().toString().equals("WARN"))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger(StateFile.class);
  }
}
