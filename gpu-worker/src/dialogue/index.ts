export {
  EMOTIONS,
  INTENTS,
  analyzePlayerText,
  archetypeFamily,
  type ArchetypeFamily,
  composeScriptedReply,
  type DialogueTurn,
  type EmotionLabel,
  type Intent,
  type PlayerAnalysis,
  type QuestionWord,
  type ScriptedInput,
  type ScriptedNpc,
  type ScriptedReply,
  type Topic,
} from './scripted.js';
export { DIALOGUE_BACKENDS, type DialogueBackend, type DialogueBackendName, type DialogueEvent, type DialogueRequest, type SummaryRequest } from './backend.js';
export { ScriptedBackend } from './scripted-backend.js';
export { OnnxDialogueBackend } from './onnx-backend.js';
export { createDialogueBackend } from './create-backend.js';
export { DIALOGUE_ENV, toDialogueConfig, type DialogueConfig } from './dialogue-config.js';
export { EmotionTagFilter, emotionEvents, normalizeEmotion } from './emotion-tags.js';
export { buildReplyMessages, buildSummaryMessages, buildSystemPrompt } from './prompt.js';
export { DEFAULT_SAMPLING, parseSamplingTable, samplingFor, type ReplySampling, type SamplingTable } from './sampling.js';
