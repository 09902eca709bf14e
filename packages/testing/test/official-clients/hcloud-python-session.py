"""Drives the simulator with Hetzner's own hcloud-python and prints what it saw as one JSON object.

Run by official-clients.test.ts with HCLOUD_ENDPOINT, HCLOUD_TOKEN and SSH_PUBLIC_KEY set.
"""

import json
import os
import sys

from hcloud import APIException, Client
from hcloud.images.domain import Image
from hcloud.locations.domain import Location
from hcloud.server_types.domain import ServerType

endpoint = os.environ["HCLOUD_ENDPOINT"]
client = Client(token=os.environ["HCLOUD_TOKEN"], api_endpoint=endpoint, poll_interval=0.05)
report = {}


def error_of(call):
    try:
        call()
    except APIException as error:
        return {"code": error.code, "message": error.message}
    return None


report["locations"] = [location.name for location in client.locations.get_all()]
report["server_types"] = [server_type.name for server_type in client.server_types.get_all()]
report["images"] = sorted({image.name for image in client.images.get_all(type="system")})

key = client.ssh_keys.create(name="python-key", public_key=os.environ["SSH_PUBLIC_KEY"])
report["ssh_key"] = {"fingerprint": key.fingerprint}
report["ssh_keys_listed"] = [listed.name for listed in client.ssh_keys.get_all()]
report["duplicate_ssh_key"] = error_of(
    lambda: client.ssh_keys.create(name="python-key-2", public_key=os.environ["SSH_PUBLIC_KEY"])
)

created = client.servers.create(
    name="python-1",
    server_type=ServerType(name="cx23"),
    image=Image(name="ubuntu-24.04"),
    location=Location(name="nbg1"),
    ssh_keys=[key],
    user_data="#cloud-config\nruncmd:\n  - [touch, /root/python-was-here]\n",
    labels={"client": "python", "batch": "b1"},
)
created.action.wait_until_finished(max_retries=200)
for action in created.next_actions:
    action.wait_until_finished(max_retries=200)
server = client.servers.get_by_id(created.server.id)
report["server"] = {
    "name": server.name,
    "status": server.status,
    "server_type": server.server_type.name,
    "location": server.location.name if getattr(server, "location", None) else None,
    "datacenter": server.datacenter,
    "labels": server.labels,
    "created": server.created.isoformat(),
}

for index in range(2, 5):
    client.servers.create(
        name=f"python-{index}",
        server_type=ServerType(name="cpx22"),
        image=Image(name="debian-12"),
        labels={"client": "python"},
    )
first_page = client.servers.get_list(label_selector="client=python", page=1, per_page=2)
report["first_page"] = {
    "names": [listed.name for listed in first_page.servers],
    "last_page": first_page.meta.pagination.last_page,
    "total_entries": first_page.meta.pagination.total_entries,
}
client.servers.max_per_page = 2
report["all_pages"] = [listed.name for listed in client.servers.get_all(label_selector="client=python")]
report["selected"] = [listed.name for listed in client.servers.get_all(label_selector="batch=b1")]

report["errors"] = {
    "duplicate_name": error_of(
        lambda: client.servers.create(
            name="python-1", server_type=ServerType(name="cx23"), image=Image(name="ubuntu-24.04")
        )
    ),
    "type_gone": error_of(
        lambda: client.servers.create(
            name="python-old", server_type=ServerType(name="cx22"), image=Image(name="ubuntu-24.04")
        )
    ),
    "unknown_type": error_of(
        lambda: client.servers.create(
            name="python-x", server_type=ServerType(name="cx99"), image=Image(name="ubuntu-24.04")
        )
    ),
    "bad_token": error_of(
        lambda: Client(token="not-the-token", api_endpoint=endpoint).servers.get_all()
    ),
}

for listed in client.servers.get_all():
    listed.delete()
key.delete()
report["left"] = {
    "servers": [listed.name for listed in client.servers.get_all()],
    "ssh_keys": [listed.name for listed in client.ssh_keys.get_all()],
}
json.dump(report, sys.stdout)
