import { describe, expect, it } from 'vitest';
import { actionEdgeIds, definitionToGraph, edgeId, parseEdgeId, type GraphOptions, type StepNode } from './graph';
import { realBirth, small } from './fixtures';
import { GLOBAL_NODE } from './layout';

const options: GraphOptions = { lang: 'vi', words: { otherwise: 'khác', generic: 'điều kiện', not: 'không', days: 'ngày', hours: 'giờ' } };

describe('definitionToGraph', () => {
  it('should make one node per top-level step with kind, role name and SLA', () => {
    const { nodes } = definitionToGraph(small(), options);
    expect(nodes.map((n) => n.id)).toEqual(['intake', 'review', 'sign', 'issued', 'refused']);
    const review = nodes[1] as StepNode;
    expect(review.data).toMatchObject({ kind: 'task', roleName: 'Công chức chuyên môn', sla: '1 ngày', initial: false });
    expect((nodes[0] as StepNode).data.initial).toBe(true);
  });

  it('should make one edge per action route, labelled with the condition', () => {
    const { edges } = definitionToGraph(small(), options);
    const submit = edges.filter((e) => e.data?.ref.kind === 'action' && e.data.ref.action === 'submit');
    expect(submit.map((e) => e.label)).toEqual(['Trình ký [data.urgent = true]', 'Trình ký [khác]']);
    expect(edges.find((e) => e.id === 'a:sign:back')?.target).toBe('review');
  });

  it('should render a real procedure with global actions from a shared node', () => {
    const { nodes, edges } = definitionToGraph(realBirth(), options);
    expect(nodes.some((n) => n.id === GLOBAL_NODE)).toBe(true);
    expect(edges.some((e) => e.source === GLOBAL_NODE && e.target === 'withdrawn')).toBe(true);
    // Without a stored layout every step still gets its own place.
    const places = new Set(nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(places.size).toBe(nodes.length);
  });

  it('should mark nodes with the worst issue and the simulated active steps', () => {
    const { nodes } = definitionToGraph(small(), { ...options, stepMarks: new Map([['sign', { severity: 'error', count: 2 }]]), active: new Set(['review']) });
    expect((nodes[2] as StepNode).data).toMatchObject({ severity: 'error', issueCount: 2 });
    expect((nodes[1] as StepNode).data.active).toBe(true);
  });
});

describe('edge ids', () => {
  it('should read back what they encode', () => {
    for (const ref of [
      { kind: 'action', step: 'review', action: 'submit', route: 1 },
      { kind: 'action', step: null, action: 'withdraw', route: null },
      { kind: 'next', step: 'par', route: null },
    ] as const) {
      expect(parseEdgeId(edgeId(ref))).toEqual(ref);
    }
    expect(parseEdgeId('xyz')).toBeNull();
  });
});

describe('actionEdgeIds', () => {
  it('should select every drawn edge of a branching action, and the one edge of a plain action', () => {
    // given review's submit, branching twice to sign, and intake's plain accept
    const def = small();
    const drawn = definitionToGraph(def, options).edges.map((e) => e.id);
    // when each is opened from the step panel
    const branching = actionEdgeIds(def, 'review', 'submit');
    const plain = actionEdgeIds(def, 'intake', 'accept');
    // then the ids are the canvas's own edge ids
    expect(branching).toEqual(['a:review:submit#0', 'a:review:submit#1']);
    expect(plain).toEqual(['a:intake:accept']);
    for (const id of [...branching, ...plain]) expect(drawn).toContain(id);
  });
});
