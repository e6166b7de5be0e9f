"""TensorBoard event files: the graph, the losses, D's outputs, the 4x4 grid and (--eval-every) sample quality.

Open them with ``tensorboard --logdir RUN_DIR/tensorboard`` (or ``--logdir out/runs``
to compare runs). The *Graphs* tab shows the graph the run built, which is the point
of graph mode: the placeholders, both networks, the losses and both Adam updates.

The numbers are written from Python as ``Summary`` protocol buffers, not by summary ops
in the graph, so TensorBoard sees the same values as losses.csv without a single extra
op or ``session.run``. The event file is an append-only log: TensorBoard ignores a
record cut short by a crash.
"""

from __future__ import annotations

from pathlib import Path

from tf_gan.graph import tf, tf1


class EventLog:
    """One run's event file. On resume, TensorBoard is told to forget the steps after `start_step`."""

    def __init__(self, logdir: Path, graph: tf.Graph, start_step: int = 0):
        self.writer = tf1.summary.FileWriter(str(logdir), graph=graph if start_step == 0 else None)
        self.closed = False
        if start_step:
            start = tf1.SessionLog(status=tf1.SessionLog.START)
            self.writer.add_session_log(start, global_step=start_step)  # drops what the dead run logged later

    def scalars(self, step: int, values: dict[str, float]) -> None:
        summary = tf1.Summary(value=[tf1.Summary.Value(tag=tag, simple_value=value) for tag, value in values.items()])
        self.writer.add_summary(summary, global_step=step)

    def png(self, tag: str, step: int, path: Path) -> None:
        """A PNG from disk as an image summary: TensorBoard shows exactly the picture saved."""
        data = path.read_bytes()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # PNG's IHDR
        image = tf1.Summary.Image(height=height, width=width, colorspace=4, encoded_image_string=data)
        self.writer.add_summary(tf1.Summary(value=[tf1.Summary.Value(tag=tag, image=image)]), global_step=step)

    def flush(self) -> None:
        """Write what is queued; after close (the final checkpoint comes after it), nothing is."""
        if not self.closed:
            self.writer.flush()

    def close(self) -> None:
        self.writer.close()
        self.closed = True
