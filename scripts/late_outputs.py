"""nbconvert's ExecutePreprocessor, tolerant of outputs that arrive just after a cell goes idle.

Deno's Jupyter kernel publishes a cell's result from JavaScript, on a path that is not ordered with
the "idle" status it sends when the cell ends, so the execute_result (or a display_data) sometimes
arrives a moment after "idle". nbclient stops listening at "idle" and drops it. This preprocessor
keeps listening for `grace` seconds after "idle" and records what arrives for the same cell.
Used by scripts/test-notebooks.mjs through --NotebookExporter.preprocessors.
"""
import asyncio
import time

from nbclient.exceptions import CellExecutionComplete
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Float


class LateOutputExecutePreprocessor(ExecutePreprocessor):
    grace = Float(0.5, help="seconds to keep listening for a cell's outputs after it went idle").tag(config=True)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        while True:
            msg = await self.kc.iopub_channel.get_msg(timeout=None)
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
        deadline = time.monotonic() + self.grace
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=left)
            except (asyncio.TimeoutError, TimeoutError, Exception):
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            if msg["msg_type"] == "status":
                continue
            # counted, so the runner can report how often the kernel was late
            cell.metadata["late_outputs"] = cell.metadata.get("late_outputs", 0) + 1
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass
