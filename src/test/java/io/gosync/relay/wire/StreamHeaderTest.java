package io.gosync.relay.wire;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream header's encoder against its decoder, and the decoder's checks of what a peer sends. */
class StreamHeaderTest {

  private static final TreeNode TREE = new TreeNode("t1", "10.0.0.1", 7001, List.of(
      new TreeNode("t2", "10.0.0.2", 7002, List.of(new TreeNode("t4", "10.0.0.4", 7004, List.of()))),
      new TreeNode("t3", "10.0.0.3", 7003, List.of())));

  @Test
  void aHeaderComesBackAsItWasWritten() {
    StreamHeader header = new StreamHeader("task-1", "source", TREE, 3);

    Buffer encoded = header.encode();

    assertEquals(StreamHeader.MAGIC, encoded.getInt(0));
    assertEquals(encoded.length() - 8, encoded.getInt(4));
    assertEquals(header, StreamHeader.decode(encoded.slice(8, encoded.length())));
  }

  @Test
  void aChildsHeaderNamesThisNodeAsParentAndKeepsTheTreeHeight() {
    StreamHeader header = new StreamHeader("task-1", "source", TREE, 3);

    StreamHeader child = header.forChild(TREE.children().get(0));

    assertEquals(new StreamHeader("task-1", "t1", TREE.children().get(0), 3), child);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{}|taskId",
      "{'taskId':5,'parent':'p','node':{'name':'n','host':'h','port':1},'treeHeight':0}|taskId",
      "{'taskId':'t','node':{'name':'n','host':'h','port':1},'treeHeight':0}|parent",
      "{'taskId':'t','parent':'p','treeHeight':0}|node",
      "{'taskId':'t','parent':'p','node':[],'treeHeight':0}|node",
      "{'taskId':'t','parent':'p','node':{'host':'h','port':1},'treeHeight':0}|node.name",
      "{'taskId':'t','parent':'p','node':{'name':'n','port':1},'treeHeight':0}|node.host",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':0},'treeHeight':0}|node.port",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':65536},'treeHeight':0}|node.port",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':'80'},'treeHeight':0}|node.port",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1,'children':{}},'treeHeight':1}|node.children",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1,'children':[7]},'treeHeight':1}|node.children[0]",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1,'children':[{'name':'a','host':'h','port':2},"
          + "{'name':'b','port':3}]},'treeHeight':1}|node.children[1].host",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1},'treeHeight':-1}|treeHeight",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1}}|treeHeight",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1},'treeHeight':'1'}|treeHeight",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1},'treeHeight':0}|relink",
      "{'taskId':'t','parent':'p','node':{'name':'n','host':'h','port':1},'treeHeight':0,'relink':'yes'}|relink"})
  void aBadFieldIsNamed(String json, String field) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> StreamHeader.decode(Buffer.buffer(json.replace('\'', '"'))));

    assertTrue(refused.getMessage().startsWith("bad relay stream header: " + field + ":"), refused.getMessage());
  }

  @Test
  void somethingThatIsNotAJsonObjectIsRefused() {
    for (String text : List.of("not json at all", "[1,2,3]", "\"text\"", "")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> StreamHeader.decode(Buffer.buffer(text)));
      assertTrue(refused.getMessage().startsWith("bad relay stream header: "), refused.getMessage());
    }
  }
}
