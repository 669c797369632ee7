# Configuration for `jupyter nbconvert --execute`, used by tools/notebooks/execute.ts.
#
# tslab reports a failed cell (a TypeScript compile error or a thrown exception) only as stderr
# text plus an execute_reply whose status is "error"; it never sends an `error` output. With
# --allow-errors, nbconvert keeps going and records nothing of that status, so this hook writes
# it into the cell's metadata, where execute.ts looks for it. Cells that ran fine get nothing.
#
# tslab also sends no execute_input message, which is where nbclient takes a cell's execution
# count from; the count is in the execute_reply, so it is copied from there ("In [3]:" instead of
# "In [ ]:" in every viewer).


def _after_cell(cell, cell_index, execute_reply, **_):
    content = execute_reply.get("content", {})
    if content.get("execution_count") and not cell.get("execution_count"):
        cell["execution_count"] = content["execution_count"]
    status = content.get("status", "ok")
    if status != "ok":
        cell.metadata["ipc_lab"] = {"status": status}


c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
c.ExecutePreprocessor.on_cell_executed = _after_cell
# Per-cell wall-clock timestamps would change every committed notebook on every run.
c.ExecutePreprocessor.record_timing = False
