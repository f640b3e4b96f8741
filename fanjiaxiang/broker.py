"""The embedded broker: kombu's file-system transport, with each message written whole.

kombu's own transport creates the message file under its final name and then writes it. A
worker polling the folder can take the file in between, read nothing, and stop with
"Unrecoverable error: JSONDecodeError" (the producer's bytes then go into a file nobody reads,
so the task is lost too). Here the message is written under a name the worker never takes and
renamed into place, which on one file system is atomic: a worker sees a whole message or none.

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


class Transport(filesystem.Transport):
    Channel = Channel
