"""A dataset pack lists each shard file once: listed twice (by the same or another spelling of its path), its
documents were read twice by the scan and trained on twice, while the pack's counts said once."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.dataset_pack import import_dataset_pack, iter_pack_documents, load_dataset_pack
from picochat_hf.utils.errors import PicochatInputError


@pytest.fixture
def pack_json(tmp_path):
    docs = [{"id": f"d{i}", "text": f"Document {i} about rivers, lakes and the sea, number {i}.", "source": "t"}
            for i in range(12)]
    return import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)


@pytest.mark.parametrize("spelling", ["{p}", "./{p}", "../{folder}/{p}"])
def test_a_shard_listed_twice_is_refused(pack_json, spelling):
    pack = json.loads(pack_json.read_text())
    first = pack["shards"][0]
    pack["shards"].append({**first, "path": spelling.format(p=first["path"], folder=pack_json.parent.name)})
    pack_json.write_text(json.dumps(pack, indent=1))
    with pytest.raises(PicochatInputError, match="listed") as err:
        load_dataset_pack(pack_json)
    assert err.value.field == f"shards[{len(pack['shards']) - 1}].path"


def test_a_pack_of_distinct_shards_still_reads(pack_json):
    assert len(list(iter_pack_documents(pack_json))) == 12
