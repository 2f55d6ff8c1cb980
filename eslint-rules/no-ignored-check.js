// zhiyin/no-ignored-check: a check whose answer is thrown away asserts nothing, and the test
// passes whatever the code does (issue 11: `await expectConsistent(id)` returned a boolean that
// four tests never looked at). Needs typed linting (parserOptions.projectService). Reports:
//   - a statement that calls a function named expect… and drops a result: an expect… helper
//     fails the test itself and returns nothing; `expect(x)` alone has no matcher;
//   - a statement that drops a boolean (or a promise of one) from a question (isX, hasX, canX…)
//     or from a test helper (declared under tests/): those answer a check. Other functions may
//     return a status beside their effect (removeCartItem, seedTiers, Map#delete) that a caller
//     is free to ignore;
//   - a function named expect… declared to return something other than void;
//   - expect(promise) without .resolves or .rejects: it judges the promise object, which is
//     always defined and truthy, not what it resolves to.
// `void f()` is the way to say a result is not wanted.
import { relative, sep } from 'node:path'
import ts from 'typescript'

const EXPECT_NAME = /^expect($|[A-Z])/
const QUESTION_NAME = /^(is|has|have|can|should|may|must|was|were|did|does|are)[A-Z]/
/** Where the test helpers live: a boolean one of them returns is the answer of a check. */
const HELPER_DIRS = ['tests/']

/** The name a call is made by: `f(…)` → f, `a.b.f(…)` → f. */
function calleeName(callee) {
  if (callee.type === 'Identifier') return callee.name
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name
  return null
}

function every(type, test) {
  return type.isUnion() ? type.types.every(test) : test(type)
}

const isBoolean = (type) => every(type, (t) => (t.flags & ts.TypeFlags.BooleanLike) !== 0)
const isNothing = (type) => every(type, (t) => (t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Never)) !== 0)
const isUnknown = (type) => (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow checks whose result is ignored: expect… helpers that return a value, dropped boolean results' },
    schema: [],
    messages: {
      expectResult:
        '{{name}}(…) returns {{type}}, and this statement drops it: an expect… helper must fail the test itself and return nothing (a bare expect(x) has no matcher).',
      booleanResult: 'The boolean that {{name}}(…) returns is ignored: assert it (expect({{name}}(…)).toBe(…)), or write void if it is really not needed.',
      expectPromise: 'expect() is given a promise: await the value first, or use .resolves / .rejects and await the assertion.',
      expectDeclaration:
        '{{name}} returns {{type}}: a helper named expect… asserts and returns nothing; name a helper that answers a question is… and assert its result.',
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices
    if (!services?.program || !services.esTreeNodeToTSNodeMap) {
      throw new Error('zhiyin/no-ignored-check needs type information: set parserOptions.projectService')
    }
    const program = services.program
    const checker = program.getTypeChecker()
    const tsNode = (node) => services.esTreeNodeToTSNodeMap.get(node)
    const awaited = (type) => checker.getAwaitedType(type) ?? type
    const typeName = (type) => {
      const text = checker.typeToString(type)
      return text.length > 60 ? `${text.slice(0, 59)}…` : text
    }

    /** Whether the function a call resolves to is one of the test helpers. */
    function isTestHelper(call) {
      const file = checker.getResolvedSignature(tsNode(call))?.getDeclaration()?.getSourceFile()
      if (!file || file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) return false
      const path = relative(context.cwd, file.fileName).split(sep).join('/')
      return HELPER_DIRS.some((dir) => path.startsWith(dir))
    }

    function checkDeclaration(node, id) {
      if (!id || !EXPECT_NAME.test(id.name)) return
      const signature = checker.getSignatureFromDeclaration(tsNode(node))
      if (!signature) return
      const returns = awaited(checker.getReturnTypeOfSignature(signature))
      if (isNothing(returns) || isUnknown(returns)) return
      context.report({ node: id, messageId: 'expectDeclaration', data: { name: id.name, type: typeName(returns) } })
    }

    return {
      ExpressionStatement(statement) {
        let expression = statement.expression
        if (expression.type === 'AwaitExpression') expression = expression.argument
        if (expression.type === 'ChainExpression') expression = expression.expression
        if (expression.type !== 'CallExpression') return
        const name = calleeName(expression.callee)
        if (!name) return
        const result = awaited(checker.getTypeAtLocation(tsNode(expression)))
        if (isUnknown(result)) return
        if (EXPECT_NAME.test(name)) {
          if (!isNothing(result)) context.report({ node: expression, messageId: 'expectResult', data: { name, type: typeName(result) } })
          return
        }
        if (isBoolean(result) && (QUESTION_NAME.test(name) || isTestHelper(expression))) context.report({ node: expression, messageId: 'booleanResult', data: { name } })
      },
      CallExpression(node) {
        if (node.callee.type !== 'Identifier' || node.callee.name !== 'expect' || node.arguments.length === 0) return
        const parent = node.parent
        if (parent.type === 'MemberExpression' && parent.object === node && !parent.computed && ['resolves', 'rejects'].includes(parent.property.name)) return
        const subject = checker.getTypeAtLocation(tsNode(node.arguments[0]))
        if (isUnknown(subject) || awaited(subject) === subject) return
        context.report({ node: node.arguments[0], messageId: 'expectPromise' })
      },
      FunctionDeclaration(node) {
        checkDeclaration(node, node.id)
      },
      VariableDeclarator(node) {
        if (node.id.type !== 'Identifier') return
        if (node.init?.type === 'ArrowFunctionExpression' || node.init?.type === 'FunctionExpression') checkDeclaration(node.init, node.id)
      },
    }
  },
}
