#!/usr/bin/env python3
"""Check the Kubernetes manifest of docs/scale-out.md for what the guide's
text relies on. Debian 12 has nothing that validates a batch/v1 Job against
the Kubernetes schema offline: this, and scale_out_ssh.sh running the
container's script as a pod would, are the checks there are.

    k8s_job_manifest.py MANIFEST

MANIFEST is the guide's pktmask-job.yaml. Prints every problem, exit 1 if
there is one.
"""
import subprocess
import sys

import yaml

problems = []


def expect(ok, what):
    if not ok:
        problems.append(what)


def check_job(job, claim_name):
    spec = job['spec']
    expect(job['apiVersion'] == 'batch/v1', 'the Job is batch/v1')
    expect(spec.get('completionMode') == 'Indexed', 'completionMode: Indexed')
    expect(isinstance(spec.get('completions'), int), 'completions is a number')
    expect(isinstance(spec.get('parallelism'), int), 'parallelism is a number')
    expect(spec.get('backoffLimitPerIndex') == 1, 'backoffLimitPerIndex: 1 (one retry per file)')
    pod = spec['template']['spec']
    expect(pod.get('restartPolicy') == 'Never', 'restartPolicy: Never (podFailurePolicy requires it)')
    containers = pod['containers']
    expect([c['name'] for c in containers] == ['pktmask'], 'one container, named pktmask')
    container = containers[0]
    rules = spec['podFailurePolicy']['rules']
    fail_index = [r for r in rules if r['action'] == 'FailIndex']
    expect(len(fail_index) == 1 and fail_index[0]['onExitCodes'] == {
        'containerName': container['name'], 'operator': 'In', 'values': [2, 3, 4]},
        'FailIndex on exit codes 2, 3, 4 of the pktmask container')
    ignore = [r for r in rules if r['action'] == 'Ignore']
    expect(len(ignore) == 1 and ignore[0]['onPodConditions'] == [{'type': 'DisruptionTarget'}],
           'Ignore on DisruptionTarget')
    expect(container['command'] == ['/bin/sh', '-c'] and len(container['args']) == 1,
           'command /bin/sh -c with the script as its one argument')
    script = container['args'][0]
    lines = [line for line in script.splitlines() if line.strip()]
    expect(lines[-1].startswith('exec pktmask sanitize --engine native --no-progress '),
           'the script ends by exec-ing pktmask sanitize --engine native')
    expect('JOB_COMPLETION_INDEX + 1' in script and '/data/files.txt' in script,
           'the script takes line JOB_COMPLETION_INDEX + 1 of /data/files.txt')
    expect(subprocess.run(['sh', '-n', '-c', script]).returncode == 0, 'the script is valid sh')
    mounts = container['volumeMounts']
    volumes = {v['name']: v for v in pod['volumes']}
    expect(len(mounts) == 1 and mounts[0]['mountPath'] == '/data', 'the volume is mounted at /data')
    expect(volumes[mounts[0]['name']]['persistentVolumeClaim']['claimName'] == claim_name,
           'the volume is the manifest\'s claim')


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        docs = list(yaml.safe_load_all(f))
    kinds = [d['kind'] for d in docs]
    expect(kinds == ['PersistentVolumeClaim', 'Job'], f'a PersistentVolumeClaim and a Job, not {kinds}')
    if kinds == ['PersistentVolumeClaim', 'Job']:
        claim, job = docs
        expect('ReadWriteMany' in claim['spec']['accessModes'], 'the claim is ReadWriteMany')
        check_job(job, claim['metadata']['name'])
    for p in problems:
        print(f'{sys.argv[1]}: {p}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
