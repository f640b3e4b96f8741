"""The embedded broker: kombu's file-system transport, with each message written whole.

kombu's own transport creates the message file under its final name and then writes it. A
worker polling the folder can take the file in between, read nothing, and stop with
"Unrecoverable error: JSONDecodeError" (the producer's bytes then go into a file nobody reads,
so the task is lost too). Here the message is written under a name the worker never takes and
renamed into place, which on one file system is atomic: a worker sees a whole message or none.
The exchange tables in the control folder were created the same way (empty, then written), and
a publisher reading one at that moment failed alike; they get the same cure.

Only the embedded runtime uses this (settings: `CELERY_BROKER_TRANSPORT`); with REDIS_URL the
broker is Redis.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh clone that never ran `make setup` has no var/celery yet: without its folders
        # every publish failed ("后台服务暂时繁忙") until someone created them by hand.
        for folder in (self.data_folder_in, self.data_folder_out, self.control_folder):
            os.makedirs(folder, exist_ok=True)

    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`, visible to the worker only once it is whole."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # kombu's reader takes a file whose name, after its first dot, is "<queue>.msg":
        # ".<name>.part" never is.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            try:
                os.remove(partial)
            except OSError:
                pass
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        """kombu creates an exchange's table file empty and then writes it, so a publisher
        reading the table at that moment fails the same way. The first binding is written whole
        under a hidden name and linked into place (only if no one else created it first);
        later bindings update the file under kombu's own lock, as before."""
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        if not file.exists():
            binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
            partial = file.with_name(f".{file.name}.{uuid.uuid4()}.part")
            try:
                partial.write_bytes(str_to_bytes(dumps([binding])))
                os.link(partial, file)  # atomic, and refuses if the file exists meanwhile
                return
            except FileExistsError:
                pass  # another process made the table first: add this binding to it below
            except OSError as exc:
                raise ChannelError(f"Cannot open {file}") from exc
            finally:
                partial.unlink(missing_ok=True)
        super()._queue_bind(exchange, routing_key, pattern, queue)


class Transport(filesystem.Transport):
    Channel = Channel
