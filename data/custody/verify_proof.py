# verify_proof.py - check an Evidence Hub custody log without evhub (RFC 6962 / RFC 9162).
# Python 3 standard library only. Exit status: 0 when the check holds, 1 when it does not.
#   python3 verify_proof.py leaf LINE              leaf hash of one event line (without newline)
#   python3 verify_proof.py root EVENTS [N]        root of the first N lines of events.jsonl
#   python3 verify_proof.py inclusion PROOF.json [EVENTS]
#                                      check `evhub --json log proof` output (and, given your
#                                      copy of events.jsonl, that its event is that very line)
#   python3 verify_proof.py consistency CONS.json  check `evhub --json log consistency` output
#   python3 verify_proof.py message HUB_ID HEAD    the exact bytes signed for a heads.jsonl line
#   python3 verify_proof.py signature HEAD         the raw 64-byte signature of a heads.jsonl line
#   python3 verify_proof.py head PROOF.json MSG SIG
#                                      write the exact bytes signed for the tree head a proof
#                                      is checked against (MSG) and its raw signature (SIG), for
#                                      openssl pkeyutl -verify -rawin (a package's proofs/)
import hashlib
import json
import sys


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(line):  # RFC 6962 §2.1: SHA-256(0x00 || entry)
    return sha256(b"\x00" + line)


def node_hash(left, right):  # RFC 6962 §2.1: SHA-256(0x01 || left || right)
    return sha256(b"\x01" + left + right)


def merkle_root(leaves):  # MTH(D[n]): split at the largest power of two smaller than n
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(merkle_root(leaves[:k]), merkle_root(leaves[k:]))


def verify_inclusion(leaf, index, size, path, root):  # RFC 9162 §2.1.3.2
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(old_size, new_size, old_root, new_root, proof):  # RFC 9162 §2.1.4.2
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0 or old_size > new_size or not proof:
        return False
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is a node itself
        proof = [old_root] + proof
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


def event_lines(path):  # complete lines only; a torn last line (no newline) is no event
    data = open(path, "rb").read()
    return data.split(b"\n")[:-1]


def report(ok, what):
    print(("OK: " if ok else "FAILED: ") + what)
    return 0 if ok else 1


def main(argv):
    if len(argv) < 2:
        argv = argv + ["help"]
    cmd, args = argv[1], argv[2:]
    if cmd == "leaf":
        print(leaf_hash(args[0].encode()).hex())
        return 0
    if cmd == "root":
        leaves = [leaf_hash(line) for line in event_lines(args[0])]
        n = int(args[1]) if len(args) > 1 else len(leaves)
        if n > len(leaves):
            return report(False, "the file holds %d events, fewer than %d" % (len(leaves), n))
        print(merkle_root(leaves[:n]).hex())
        return 0
    if cmd == "inclusion":
        p = json.load(open(args[0]))
        leaf = leaf_hash(p["event"].encode())
        print("leaf hash:", leaf.hex())
        if json.loads(p["event"])["seq"] != p["leaf_index"]:
            return report(False, "the event's seq is not its leaf index")
        if len(args) > 1:
            lines = event_lines(args[1])
            if p["leaf_index"] >= len(lines) or lines[p["leaf_index"]] != p["event"].encode():
                return report(False, "the event is not line %d of %s" % (p["leaf_index"] + 1,
                                                                      args[1]))
        ok = verify_inclusion(leaf, p["leaf_index"], p["tree_size"],
                              [bytes.fromhex(h) for h in p["audit_path"]],
                              bytes.fromhex(p["root"]))
        return report(ok, "event %d is in the tree of size %d with root %s"
                      % (p["leaf_index"], p["tree_size"], p["root"]))
    if cmd == "consistency":
        c = json.load(open(args[0]))
        ok = verify_consistency(c["old_size"], c["new_size"], bytes.fromhex(c["old_root"]),
                                bytes.fromhex(c["new_root"]),
                                [bytes.fromhex(h) for h in c["proof"]])
        return report(ok, "the tree of size %d (root %s) is a prefix of the tree of size %d "
                      "(root %s)" % (c["old_size"], c["old_root"], c["new_size"], c["new_root"]))
    if cmd == "message":
        h = json.loads(args[1])
        msg = "evhub tree head v1\nhub %s\nsize %d\nroot %s\ntime %s\n" % (
            args[0], h["tree_size"], h["root"], h["time"])
        sys.stdout.buffer.write(msg.encode())
        return 0
    if cmd == "signature":
        sys.stdout.buffer.write(bytes.fromhex(json.loads(args[0])["signature"]))
        return 0
    if cmd == "head":
        p = json.load(open(args[0]))
        msg = "evhub tree head v1\nhub %s\nsize %d\nroot %s\ntime %s\n" % (
            p["hub_id"], p["tree_size"], p["root"], p["head_time"])
        open(args[1], "wb").write(msg.encode())
        open(args[2], "wb").write(bytes.fromhex(p["signature"]))
        print("wrote %s (%d bytes) and %s (%d bytes)" % (args[1], len(msg.encode()), args[2],
                                                      len(p["signature"]) // 2))
        return 0
    print("usage: see the comment at the top of verify_proof.py", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
