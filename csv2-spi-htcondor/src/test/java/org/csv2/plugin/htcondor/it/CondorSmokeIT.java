/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.plugin.htcondor.it;

import org.csv2.testkit.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves that the HTCondor pool of {@code scripts/testenv up} answers the way the HTCondor plugin will use it:
 * a job submitted as the unprivileged user through {@code condor.submit.prefix} and the helper
 * {@code submit-jobs.sh}, then read back as JSON with {@code condor_q -allusers -json} and
 * {@code condor_status -any -json} through {@code condor.command.prefix}. The pool has no startd, so the job
 * stays IDLE (JobStatus 1); it is removed with {@code condor_rm} at the end.
 */
class CondorSmokeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestEnvironment env = TestEnvironment.load();

    @Test
    void submittedJobIsIdleInTheQueueAndThePoolAdvertisesItsDaemons() throws Exception {
        env.requireChroot();
        env.requireListeningHostPort("HTCondor collector", "condor.collector");
        String helpers = env.get("condor.helpers.dir");

        // "-": extra submit lines from stdin. The requirement matches no machine, so the job stays idle even if
        // another test has a "VM" (vm-start.sh) in the pool at this moment.
        String extra = "+Csv2SmokeTest = True\nrequirements = (TARGET.Csv2NeverMatches =?= True)\n";
        String submitted = TestEnvironment.run(env.command("condor.submit.prefix", helpers + "/submit-jobs.sh", "1", "1", "128", "5", "-"),
                extra, TIMEOUT).stdoutOrFail().trim();
        assertTrue(submitted.matches("\\d+"), "submit-jobs.sh printed '" + submitted + "', not a cluster id");
        int cluster = Integer.parseInt(submitted);
        try {
            JsonNode job = findJob(cluster);
            assertNotNull(job, "cluster " + cluster + " not in condor_q -allusers -json");
            assertEquals(1, job.path("JobStatus").asInt(), "JobStatus (1 = IDLE) of " + job);
            assertEquals("tester", job.path("Owner").asText(), "Owner of " + job);
            assertEquals(1, job.path("RequestCpus").asInt(), "RequestCpus of " + job);
            assertEquals(128, job.path("RequestMemory").asInt(), "RequestMemory (MiB) of " + job);
            assertTrue(job.path("Csv2SmokeTest").asBoolean(), "extra submit line missing in " + job);

            List<String> types = new ArrayList<>();
            String scheddName = null;
            for (JsonNode ad : parseArray(TestEnvironment.run(env.command("condor.command.prefix",
                    "condor_status", "-any", "-json", "-attributes", "MyType,Name"), null, TIMEOUT).stdoutOrFail())) {
                types.add(ad.path("MyType").asText());
                if ("Scheduler".equals(ad.path("MyType").asText())) {
                    scheddName = ad.path("Name").asText();
                }
            }
            assertTrue(types.containsAll(List.of("Collector", "Negotiator", "Scheduler", "DaemonMaster")),
                    "daemon ads in condor_status -any: " + types);
            assertEquals(env.get("condor.hostname"), scheddName, "schedd name");
        } finally {
            TestEnvironment.run(env.command("condor.command.prefix", "condor_rm", Integer.toString(cluster)), null, TIMEOUT)
                    .stdoutOrFail();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (findJob(cluster) != null) {
            if (System.nanoTime() > deadline) {
                fail("cluster " + cluster + " still in the queue 15 s after condor_rm");
            }
            Thread.sleep(250);
        }
    }

    private JsonNode findJob(int cluster) throws IOException {
        String out = TestEnvironment.run(env.command("condor.command.prefix", "condor_q", "-allusers", "-json",
                "-attributes", "ClusterId,ProcId,JobStatus,Owner,RequestCpus,RequestMemory,Csv2SmokeTest"), null, TIMEOUT)
                .stdoutOrFail();
        for (JsonNode job : parseArray(out)) {
            if (job.path("ClusterId").asInt() == cluster && job.path("JobStatus").asInt() != 3) {
                return job;
            }
        }
        return null;
    }

    /** condor_q/condor_status -json print nothing at all (not "[]") when there is nothing to list. */
    private static JsonNode parseArray(String json) throws IOException {
        return json.isBlank() ? JSON.createArrayNode() : JSON.readTree(json);
    }
}
