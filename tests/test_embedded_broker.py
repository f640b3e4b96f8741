"""The embedded broker (no Redis) hands a polling worker every message whole, however the
producer's write and the worker's poll interleave."""

import threading
import uuid
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport import filesystem

from fanjiaxiang import broker


def _connection(transport, folder) -> Connection:
    return Connection(
        "filesystem://",
        transport=transport,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            # beside the queue folder, never kombu's default ./control in the working directory
            "control_folder": str(folder.parent / f"{folder.name}-control"),
            "store_processed": False,
        },
    )


def _race(transport, folder, count: int) -> tuple[list[int], list[Exception]]:
    """A consumer polls without pause while a producer puts `count` messages."""
    received, errors, done, bound = [], [], threading.Event(), threading.Event()
    # kombu remembers bindings per process, not per folder: a fresh queue name for each race.
    name = f"race-{uuid.uuid4().hex[:8]}"

    def consume():
        with _connection(transport, folder) as conn:
            queue = conn.SimpleQueue(name)
            bound.set()
            while len(received) < count:
                try:
                    message = queue.get(block=True, timeout=0.01)
                except queue.Empty:
                    if done.is_set() and not any(folder.iterdir()):
                        return
                    continue
                except Exception as exc:  # the worker's "Unrecoverable error"
                    errors.append(exc)
                    return
                received.append(message.payload["n"])
                message.ack()

    consumer = threading.Thread(target=consume)
    consumer.start()
    # As with a worker: its queue exists before anything is sent to it (a message to a queue
    # no one has bound yet is dropped by kombu, a different matter).
    assert bound.wait(timeout=30)
    with _connection(transport, folder) as conn:
        queue = conn.SimpleQueue(name)
        for n in range(count):
            queue.put({"n": n, "text": "返家乡" * 200})
    done.set()
    consumer.join(timeout=60)
    return received, errors


def test_the_portal_uses_the_whole_message_transport_when_embedded(settings):
    if settings.REDIS_URL:
        pytest.skip("with REDIS_URL the broker is Redis")
    from fanjiaxiang.celery import app

    with app.connection_for_write() as conn:
        assert isinstance(conn.transport, broker.Transport)


def test_a_polling_worker_gets_every_message_whole(tmp_path):
    received, errors = _race("fanjiaxiang.broker:Transport", tmp_path, 2000)
    assert errors == []
    assert sorted(received) == list(range(2000))
    assert list(tmp_path.iterdir()) == []  # no half-written file is left behind


def test_a_message_being_written_is_invisible_to_the_worker(tmp_path, monkeypatch):
    """Freeze the producer between creating its file and finishing it: the worker finds
    nothing to take (kombu's own transport hands it an empty file there)."""
    seen: list = []
    with _connection("fanjiaxiang.broker:Transport", tmp_path) as conn:
        channel = conn.default_channel
        real_dumps = broker.dumps

        def dumps_while_polling(payload):
            # the file is open by now; poll as a worker would
            try:
                seen.append(channel._get("race"))
            except Empty:
                seen.append("Empty")
            return real_dumps(payload)

        monkeypatch.setattr(broker, "dumps", dumps_while_polling)
        channel._put("race", {"n": 1})
        monkeypatch.setattr(broker, "dumps", real_dumps)
        assert seen == ["Empty"]
        assert channel._get("race") == {"n": 1}


def test_a_publisher_never_reads_an_exchange_table_being_created(tmp_path, monkeypatch):
    """Freeze the first binding while its table is written: a publisher reading the table then
    finds no table yet (kombu's transport hands it an empty file, and publishing fails)."""
    with (
        _connection("fanjiaxiang.broker:Transport", tmp_path) as binder,
        _connection("fanjiaxiang.broker:Transport", tmp_path) as publisher,
    ):
        binding, reading = binder.default_channel, publisher.default_channel
        tables: list = []
        real_dumps = broker.dumps

        def dumps_while_reading(payload):
            tables.append(reading.get_table("race"))
            return real_dumps(payload)

        monkeypatch.setattr(broker, "dumps", dumps_while_reading)
        binding._queue_bind("race", "race", None, "race")
        monkeypatch.setattr(broker, "dumps", real_dumps)
        assert tables == [[]]
        assert [q.queue for q in reading.get_table("race")] == ["race"]
        # A second binding is added to the table, not written over it.
        binding._queue_bind("race", "other", None, "other")
        assert sorted(q.queue for q in reading.get_table("race")) == ["other", "race"]


def test_kombus_own_transport_is_the_one_that_breaks(tmp_path, monkeypatch):
    """The same frozen moment with kombu's transport: the worker takes an empty message."""
    with _connection("filesystem", tmp_path) as conn:
        channel = conn.default_channel
        real_dumps = filesystem.dumps
        outcome: list = []

        def dumps_while_polling(payload):
            try:
                outcome.append(channel._get("race"))
            except Exception as exc:
                outcome.append(type(exc).__name__)
            return real_dumps(payload)

        monkeypatch.setattr(filesystem, "dumps", dumps_while_polling)
        channel._put("race", {"n": 1})
    assert outcome == ["JSONDecodeError"]


def test_a_fresh_clone_without_the_queue_folders_still_sends_and_receives(tmp_path):
    """`make test` and `make run` on a clone that never ran `make setup` have no var/celery:
    the transport makes its folders instead of refusing every message."""
    folder = tmp_path / "var" / "celery" / "queue"
    with _connection("fanjiaxiang.broker:Transport", folder) as conn:
        queue = conn.SimpleQueue("fresh")
        queue.put({"n": 1})
        message = queue.get(block=True, timeout=5)
        assert message.payload == {"n": 1}
        message.ack()
