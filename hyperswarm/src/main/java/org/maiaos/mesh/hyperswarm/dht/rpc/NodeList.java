package org.maiaos.mesh.hyperswarm.dht.rpc;

/**
 * The nodes in order of last contact, oldest first ({@code time-ordered-set}): adding a listed
 * node moves it to the latest end. Walks start at {@link #oldest} or {@link #latest}.
 */
final class NodeList {
  Node oldest;
  Node latest;
  int size;

  boolean has(Node n) {
    return n.listed;
  }

  void add(Node n) {
    if (n.listed) remove(n);
    n.listed = true;
    n.next = null;
    n.prev = latest;
    if (latest == null) oldest = n;
    else latest.next = n;
    latest = n;
    size++;
  }

  void remove(Node n) {
    if (!n.listed) return;
    if (n.prev != null) n.prev.next = n.next;
    else oldest = n.next;
    if (n.next != null) n.next.prev = n.prev;
    else latest = n.prev;
    n.prev = n.next = null;
    n.listed = false;
    size--;
  }
}
