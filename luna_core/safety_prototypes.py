"""Prototype sentences for the semantic crisis check, written for Luna (not taken from any data set).

``POSITIVE`` maps (category, level) to sentences a person at that level might write; ``NEGATIVE``
holds look-alikes that are not a crisis for the writer: figurative speech, games, sport, media,
education, other people's stories, pets and medicine, ordinary sadness and stress. A message is
flagged only when it is clearly closer to a positive prototype than to every negative one.
Reviewed like code: each sentence should be unambiguous under tests/fixtures/crisis_labelling.md.
"""

from __future__ import annotations

SI, SH, PLAN, OTHERS, ABUSE = "suicidal_ideation", "self_harm", "intent_or_plan", "harm_to_others", "abuse"

POSITIVE: dict[tuple[str, str], list[str]] = {
    (SI, "imminent"): [
        "I have the pills in front of me and I am going to swallow all of them tonight.",
        "I've made my decision, I'm ending my life tonight after everyone goes to bed.",
        "I already took a whole bottle of tablets and I'm starting to feel sleepy.",
        "I'm on the roof of my building and I'm going to jump.",
        "The rope is ready and I'm doing it this evening.",
        "I've written my note and tonight is the night I finally go.",
        "I'm sitting in my car with the engine running in the garage.",
        "I have a loaded gun and I'm going to use it on myself today.",
        "I've been stockpiling my medication and I'll take it all this weekend.",
        "I'm at the train tracks now waiting for the next train.",
        "This is my last message, I'm going to kill myself in an hour.",
        "I swallowed everything in the medicine cabinet twenty minutes ago.",
    ],
    (SI, "high"): [
        "I want to kill myself.", "I really want to die.", "I keep thinking about suicide.",
        "I've been having suicidal thoughts every day.", "I want to end my life.",
        "I don't know how much longer I can stop myself from killing myself.",
        "I've been thinking about how I would do it.", "I'm seriously considering taking my own life.",
        "I feel suicidal and I'm scared.", "Part of me really wants to be dead.",
        "I think about ending it all constantly.", "I want to die so badly it hurts.",
        "I've been researching the most painless way to go.",
        "How many sleeping pills would it take to never wake up?",
        "I gave away my things because I won't be needing them soon.",
        "I tried to end it last week and I'm sad it didn't work.",
        "Suicide feels like the only way out now.", "I'm planning to kill myself, I just haven't picked a day.",
    ],
    (SI, "moderate"): [
        "I wish I could go to sleep and never wake up.", "Everyone would be better off if I were gone.",
        "I don't want to be alive anymore.", "What's the point of living?", "I wish I'd never been born.",
        "I just want to disappear and never come back.", "Nobody would notice if I was dead.",
        "I'm tired of existing.", "I don't see any reason to keep going.", "Life isn't worth living for me.",
        "Sometimes I hope something happens to me so I don't have to be here.",
        "I feel like the world would be a better place without me.", "I can't keep living like this.",
        "I'm a waste of space and everyone would be relieved if I was gone.",
        "I don't care if I live or die anymore.", "I keep wishing I wouldn't wake up in the morning.",
        "There's no future for me, I'm not meant to be here.", "I'm ready to give up on life.",
    ],
    (SH, "imminent"): [
        "I cut too deep and the bleeding won't stop.", "There is blood everywhere and I feel faint.",
        "I have the blade in my hand and I'm going to cut tonight.",
    ],
    (SH, "high"): [
        "I cut myself last night.", "I've started self-harming again.", "I burn my skin when I'm upset.",
        "I relapsed and hurt myself this week.", "The urge to cut is so strong right now.",
        "I hit myself until I bruise.", "I scratch my arms until they bleed.", "I want to hurt myself right now.",
        "I've been cutting every night this week.", "I punished myself with a razor again.",
        "I can't stop harming myself.", "I slammed my head against the wall on purpose.",
    ],
    (SH, "moderate"): [
        "I keep thinking about cutting again.", "I hide my arms so nobody sees the marks.",
        "I still keep a blade in my drawer just in case.", "I deserve to feel pain.",
        "I get the urge to hurt myself sometimes but I haven't acted on it.",
        "I wear long sleeves so people don't ask questions.",
    ],
    (OTHERS, "imminent"): [
        "I'm on my way to his house with a knife right now.", "I've got the gun and I'm going to shoot him tonight.",
        "I'm waiting outside her work to hurt her when she comes out.",
    ],
    (OTHERS, "high"): [
        "I'm going to kill him.", "I want to hurt my mother and I mean it.", "I'm going to make him pay for this.",
        "If he comes near me again I will stab him.", "I'm going to bring a weapon to school.",
        "I want to hurt the people who bullied me.", "I swear I'm going to beat him until he can't stand.",
        "I'm planning how to get back at her physically.",
    ],
    (OTHERS, "moderate"): [
        "I keep imagining hurting my sister.", "I fantasise about killing my boss.",
        "Sometimes I picture beating up the guy who bullied me.", "I have violent thoughts about my neighbour.",
    ],
    (ABUSE, "high"): [
        "My partner hits me when he gets angry.", "My dad beats me.", "My mum slaps me and calls me worthless.",
        "My boyfriend forced me to have sex.", "My stepfather touches me and says it's our secret.",
        "My husband threatened to kill me.", "I'm afraid to go home because of what he'll do.",
        "My girlfriend won't let me see my friends and takes my money.", "He choked me last night.",
        "My uncle sexually abused me and I'm scared to tell anyone.", "I was raped last weekend.",
        "My ex keeps following me and turning up at my house.", "My parents lock me in my room without food.",
        "My carer pushes me and shouts at me every day.",
    ],
    (ABUSE, "moderate"): [
        "My partner checks my phone and tells me who I can talk to, is that normal?",
        "My boyfriend gets really jealous and controls where I go, am I overreacting?",
        "I'm not sure if what my parents do counts as abuse.",
    ],
    (None, "low"): [
        "I feel empty and numb all the time.", "I feel completely alone.", "I hate myself.",
        "I can't cope with everything right now.", "I feel like such a burden to everyone.",
        "I used to self-harm but I've been clean for a long time.", "I attempted suicide years ago but I'm okay now.",
        "I was abused as a child and it still affects me.", "I feel worthless.", "I'm falling apart.",
        "I don't feel anything anymore.", "I feel hopeless but I'm not going to do anything.",
    ],
}

NEGATIVE: list[str] = [
    # figurative and hyperbole
    "This traffic is killing me.", "My feet are killing me after the hike.", "I could kill for a coffee.",
    "I nearly died laughing.", "That dessert was to die for.", "I'm dying to see the new film.",
    "My mum is going to kill me when she sees my grades.", "I'm so embarrassed I could die.",
    "I'm bored to death.", "I'm dead tired.", "lol I'm dead, that's hilarious.", "You killed it on stage!",
    "I'm going to kill this exam.", "My phone is dying.", "This homework will be the death of me.",
    "I totally bombed the presentation.", "My boss is going to murder me for being late.",
    "I'd kill for a holiday right now.", "I'm so done with this week lol.", "This heat is unbearable.",
    # games, sport, fitness
    "I keep dying on the final boss.", "I got killed in the first round again.", "We slaughtered them in the match.",
    "New personal best at the gym, I smashed it.", "My character died and I lost all my loot.",
    "Got a headshot kill streak last night.", "The workout absolutely destroyed me.",
    # media, education, other people
    "What are the warning signs of suicide?", "How can I support a friend who self-harms?",
    "I'm writing an essay about suicide prevention.", "The main character kills himself at the end of the book.",
    "We watched a documentary about suicide rates.", "My friend's brother died by suicide last year.",
    "What is the number for the suicide hotline?", "Can you explain what self-harm is for my class?",
    "A man was stabbed in my town last night, it was on the news.", "My sister is struggling and I'm worried about her.",
    "I'm training to be a crisis line volunteer.", "What should I say to someone who is grieving?",
    # pets, medicine, accidents
    "We had to put our dog to sleep.", "My cat is dying of old age.", "My grandmother passed away last week.",
    "I cut my finger while cooking.", "I burned my hand on the oven.", "The doctor increased my medication dose.",
    "I need to remember to take my pills tonight.", "The chemo is killing the cancer cells.",
    "I hit my head on the cupboard.", "I had a panic attack and thought I was going to die.",
    "I cut my hair myself.", "I'm cutting back on sugar.",
    # ordinary sadness, stress, anger, daily life
    "I'm stressed about my exams.", "I feel a bit down today.", "I'm sad about my breakup.",
    "Work has been exhausting this week.", "I'm anxious about my job interview.", "I miss my grandad.",
    "I'm lonely since I moved to a new city.", "I'm frustrated with my flatmate.", "I failed my driving test.",
    "I'm worried about money.", "I had a fight with my brother about the TV.", "My parents are getting divorced.",
    "I can't sleep because I'm overthinking.", "I'm annoyed at my boss.", "I'm nervous about the weekend.",
    "I'm grieving my dog and I miss him.", "I said goodbye to my colleagues on my last day.",
    "I'm giving my old clothes to charity.", "I wrote a note to my landlord.", "I feel hopeless at maths.",
    "I'm so angry at my friend for lying to me.", "I'm heartbroken but I'll get through it.",
    "I'm having a rough day.", "I'm tired and I want the weekend to come.",
]
