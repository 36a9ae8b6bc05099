# Copyright The csv2 Authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     https://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
#
# The oracle of csv2's APEL messages (csv2-examples ApelOracleIT, docs/accounting.md): parses every
# message file under a queue directory with APEL's own RecordFactory and loads the records with
# APEL's own MySQL backend into a database that already holds APEL's schemas/cloud.sql.
#
#   /usr/bin/python3 apel_oracle.py APEL_DIR QUEUE_DIR HOST PORT USER DATABASE   (password: $APEL_DB_PASSWORD)
#
# Prints "loaded <file> <n>" per message; on the first refused message prints
# "REFUSED <file>: <APEL's error>" and exits 1.
import os
import sys
import types

apel_dir, queue, host, port, user, database = sys.argv[1:7]
# apel.db.loader imports dirq (not in Debian; only its queue handling uses it): an empty stand-in
stub = types.ModuleType('dirq')
stub.QueueSimple = types.ModuleType('dirq.QueueSimple')
stub.QueueSimple.QueueSimple = object
stub.queue = types.ModuleType('dirq.queue')
stub.queue.Queue = object
sys.modules['dirq'] = stub
sys.modules['dirq.QueueSimple'] = stub.QueueSimple
sys.modules['dirq.queue'] = stub.queue
sys.path.insert(0, apel_dir)

from apel.db.loader.record_factory import RecordFactory  # noqa: E402
from apel.db.backends.mysql import ApelMysqlDb  # noqa: E402

db = ApelMysqlDb(host, int(port), user, os.environ['APEL_DB_PASSWORD'], database)
factory = RecordFactory()
files = []
for d in sorted(os.listdir(queue)):
    if len(d) == 8 and os.path.isdir(os.path.join(queue, d)):
        for f in sorted(os.listdir(os.path.join(queue, d))):
            if len(f) == 14:
                files.append(os.path.join(queue, d, f))
for path in files:
    with open(path) as fh:
        text = fh.read()
    try:
        records = factory.create_records(text)
    except Exception as e:  # APEL's own refusal
        print('REFUSED %s: %s: %s' % (path, type(e).__name__, e))
        sys.exit(1)
    try:
        db.load_records(records, source='/CN=csv2-test')
    except Exception as e:
        print('REFUSED %s: %s: %s' % (path, type(e).__name__, e))
        sys.exit(1)
    print('loaded %s %d' % (path, len(records)))
sys.stdout.flush()
